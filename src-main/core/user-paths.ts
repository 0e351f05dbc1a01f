/**
 * One check for every path a person or a client hands the app: a project file, an image
 * folder, an export folder, an import file, a model or its config (issue 21, item 1).
 * `C:\out` passes a cross-platform "absolute" test but is a relative name on Linux, where it
 * would land in the server's working folder; `\\srv\share` likewise.
 */
import { isAbsolute, resolve } from 'node:path'
import { AppError } from './errors'

const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|\\\\)/

function quoted(path: string): string {
  return JSON.stringify(path.slice(0, 200))
}

/** Why a path cannot be used on this computer whatever folder it is taken from, or undefined. */
export function foreignPathReason(path: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (path.includes('\0')) return 'contains a NUL character'
  if (platform !== 'win32' && WINDOWS_PATH.test(path)) return 'is a Windows path, and this computer is not running Windows'
  return undefined
}

/** Paths from API clients and inside core: absolute for the platform the app runs on. */
export function requireAbsolutePath(path: string, label: string): void {
  const reason = foreignPathReason(path)
  if (reason) throw new AppError('invalid-argument', `${label} ${quoted(path)} ${reason}.`)
  if (!isAbsolute(path)) {
    throw new AppError('invalid-argument', `${label} must be an absolute path on this computer; got ${quoted(path)}.`)
  }
}

/** A path typed on the command line: relative ones are taken from the working folder. */
export function resolveCommandLinePath(path: string, label: string): string {
  const reason = foreignPathReason(path)
  if (reason) throw new AppError('invalid-argument', `${label} ${quoted(path)} ${reason}.`)
  return resolve(path)
}
