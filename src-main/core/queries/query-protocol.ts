/** Messages between a QueryWorker (the host) and a worker serving queries. Plain data only: they are structured-cloned. */

export interface QueryRequest {
  id: number
  method: string
  args: unknown
}

export type QueryReply =
  | { id: number; ok: true; value: unknown }
  /** `code` is the AppError code when the failure was one (e.g. `not-found`), so the API answers with it. */
  | { id: number; ok: false; message: string; code: string | null }

/** The queries a worker answers: each takes the request's arguments and returns plain data. */
export type QueryTable = Record<string, (args: never) => unknown>
