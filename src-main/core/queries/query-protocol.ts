import type { Said } from '../../../src-shared/messages/said'

/** Messages between a QueryWorker (the host) and a worker serving queries. Plain data only: they are structured-cloned. */

export type QueryHostMessage =
  | { type: 'query'; id: number; method: string; args: unknown }
  /** Aborts the signal the query was given; the query decides where it can stop. */
  | { type: 'cancel'; id: number }

export type QueryWorkerMessage =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  /**
   * `code` is the AppError code when the failure was one (e.g. `not-found`), so the API answers
   * with it; `systemCode` and `path` are a file system error's (e.g. `ENOENT`), which the API
   * turns into its own sentence.
   */
  | { type: 'reply'; id: number; ok: false; message: string; code: string | null; said?: Said; systemCode?: string; path?: string }

/** What a query gets besides its arguments: a cancel, and a way to report how far it is. */
export interface QueryContext {
  signal: AbortSignal
  progress(done: number, total: number): void
}

/** The queries a worker answers: each takes the request's arguments and returns plain data. */
export type QueryTable = Record<string, (args: never, context: QueryContext) => unknown>
