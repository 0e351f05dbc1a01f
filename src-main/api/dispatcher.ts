import { apiMethods, isApiMethod } from '@shared/api/methods'
import { type ApiError, type ApiErrorCode, type ApiResult, fail, ok } from '@shared/api/result'
import { inEnglish, type Said, type SaidValues, type ServerMessageKey } from '@shared/messages/said'
import type { z } from 'zod'
import { AppError } from '../core/errors'
import type { ApiHandlers } from './handlers/handler-types'

export type Dispatch = (method: string, args: unknown) => Promise<ApiResult<unknown>>

export interface DispatcherOptions {
  /** Where unexpected errors are logged in full (stack included); never sent to the caller. */
  logError?: (method: string, error: unknown) => void
}

/**
 * The transport-independent entry point: look the method up, validate the arguments with
 * its schema, run the handler, and turn every outcome into an `ApiResult` value. Nothing
 * thrown here ever reaches a transport.
 */
export function createDispatcher(handlers: ApiHandlers, options: DispatcherOptions = {}): Dispatch {
  const logError = options.logError ?? ((method, error) => console.error(`API method ${method} failed:`, error))

  return async (method, args) => {
    if (typeof method !== 'string' || !isApiMethod(method)) {
      return fail('unknown-method', `There is no API method named "${String(method).slice(0, 100)}".`)
    }
    // A call without arguments means "no arguments", like an empty HTTP body.
    const parsed = apiMethods[method].args.safeParse(args === undefined ? {} : args)
    if (!parsed.success) {
      const issues = describeIssues(parsed.error.issues)
      return fail('invalid-argument', `Invalid arguments for ${method}: ${issues.map((issue) => issue.text).join('; ')}`, {
        issues: issues.map(({ path, message }) => ({ path, message })),
      })
    }
    try {
      const handler = handlers[method] as (args: unknown) => unknown
      return ok(await handler(parsed.data))
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'internal') logError(method, error)
      return { ok: false, error: apiError }
    }
  }
}

interface DescribedIssue {
  path: string
  message: string
  text: string
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): DescribedIssue[] {
  return issues.slice(0, 10).map((issue) => {
    const path = issue.path.map(String).join('.')
    // Unknown keys are named by the issue itself, not by its path.
    const keys = issue.code === 'unrecognized_keys' ? `: ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}` : ''
    const message = `${issue.message}${keys}`.slice(0, 300)
    return { path, message, text: path ? `${path}: ${message}` : message }
  })
}

/**
 * Maps anything thrown by core to an error value with a message a user can act on. File
 * system and SQLite errors get plain-language messages; anything else is `internal`
 * without its stack trace.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      ...(error.said ? { said: error.said } : {}),
    }
  }
  const said = (code: ApiErrorCode, key: ServerMessageKey, values?: SaidValues): ApiError => {
    const words: Said = values ? { key, values } : { key }
    return { code, message: inEnglish(words), said: words }
  }
  const code = (error as { code?: unknown } | null)?.code
  const path = (error as { path?: unknown } | null)?.path
  const at = typeof path === 'string' ? { path } : undefined
  switch (code) {
    case 'ENOENT':
      return at ? said('not-found', 'files.missingAt', at) : said('not-found', 'files.missing')
    case 'EACCES':
    case 'EPERM':
      return at ? said('internal', 'files.permissionDeniedAt', at) : said('internal', 'files.permissionDenied')
    case 'ENOSPC':
      return said('internal', 'files.diskFull')
    case 'EROFS':
      return at ? said('internal', 'files.readOnlyAt', at) : said('internal', 'files.readOnly')
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return said('conflict', 'database.busy')
    case 'SQLITE_FULL':
      return said('internal', 'database.diskFull')
    case 'SQLITE_READONLY':
      return said('internal', 'database.readOnly')
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return said('internal', 'database.damaged')
    default:
      return said('internal', 'internal')
  }
}
