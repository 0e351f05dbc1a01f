import { apiMethods, isApiMethod } from '@shared/api/methods'
import { type ApiError, type ApiResult, fail, ok } from '@shared/api/result'
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
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details }
  }
  const code = (error as { code?: unknown } | null)?.code
  const path = (error as { path?: unknown } | null)?.path
  const where = typeof path === 'string' ? ` (${path})` : ''
  switch (code) {
    case 'ENOENT':
      return { code: 'not-found', message: `A file or folder does not exist${where}.` }
    case 'EACCES':
    case 'EPERM':
      return { code: 'internal', message: `Permission denied${where}. Check the file permissions.` }
    case 'ENOSPC':
      return { code: 'internal', message: 'The disk is full. Free some space and try again.' }
    case 'EROFS':
      return { code: 'internal', message: `The file system is read-only${where}.` }
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return { code: 'conflict', message: 'The project database is busy in another program. Try again in a moment.' }
    case 'SQLITE_FULL':
      return { code: 'internal', message: 'The disk is full; the project could not be saved.' }
    case 'SQLITE_READONLY':
      return { code: 'internal', message: 'The project file is read-only; changes cannot be saved.' }
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return { code: 'internal', message: 'The project file is damaged or is not a project file.' }
    default:
      return { code: 'internal', message: 'Something went wrong inside the app. The details were written to its log.' }
  }
}
