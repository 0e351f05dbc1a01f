import type { ApiErrorCode } from '@shared/api/result'

/**
 * An error core code throws on purpose, with a message written for the person using the
 * app. Transports turn it into an `ApiError` value with the same code and message.
 */
export class AppError extends Error {
  readonly code: ApiErrorCode
  readonly details?: unknown

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.details = details
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}
