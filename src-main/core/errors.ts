import type { ApiErrorCode } from '@shared/api/result'
import { inEnglish, type Said } from '../../src-shared/messages/said'

/**
 * An error core code throws on purpose, with a message written for the person using the
 * app. Transports turn it into an `ApiError` value with the same code and message. Given a
 * `Said` (a key of the shared server catalogue and its values) instead of text, the message
 * is its English wording and the key travels too, so the renderer and the CLI can word it in
 * the person's language.
 */
export class AppError extends Error {
  readonly code: ApiErrorCode
  readonly details?: unknown
  readonly said?: Said

  constructor(code: ApiErrorCode, message: string | Said, details?: unknown) {
    super(typeof message === 'string' ? message : inEnglish(message))
    this.name = 'AppError'
    this.code = code
    this.details = details
    if (typeof message !== 'string') this.said = message
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}
