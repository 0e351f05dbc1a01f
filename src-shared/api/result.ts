import type { Said } from '../messages/said'

/**
 * Errors cross process boundaries as values, never as thrown exceptions: every API call
 * resolves to an `ApiResult`. The message is written for the person using the app.
 */
export type ApiErrorCode =
  | 'invalid-argument' // the arguments failed the method's schema
  | 'unknown-method'
  | 'not-found' // a project, image or file that does not exist
  | 'no-project' // the method needs an open project
  | 'conflict' // e.g. a project file that already exists
  | 'unsupported' // not available on this transport (e.g. native dialogs over HTTP)
  | 'unauthorized'
  | 'cancelled' // the person stopped the job (jobs.cancel) before it finished
  | 'internal'

export interface ApiError {
  code: ApiErrorCode
  message: string
  /** Optional machine-readable detail, e.g. the schema issues of an invalid argument. */
  details?: unknown
  /** The message as a key of the server catalogue and its values, where it has one (see messages/said.ts). */
  said?: Said
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export function ok<T>(value: T): ApiResult<T> {
  return { ok: true, value }
}

export function fail(code: ApiErrorCode, message: string, details?: unknown): ApiResult<never> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } }
}

/** Thrown by the renderer-side client when a call resolves to `{ ok: false }`. */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode
  readonly details?: unknown
  readonly said?: Said

  constructor(error: ApiError) {
    super(error.message)
    this.name = 'ApiCallError'
    this.code = error.code
    this.details = error.details
    if (error.said) this.said = error.said
  }
}
