import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The Electron-ABI build of better-sqlite3, kept apart from the Node build in
 * node_modules so tests and the CLI keep working. Made by `npm run setup:electron`.
 */
export const ELECTRON_SQLITE_RELATIVE_PATH = join('native', 'electron', 'better_sqlite3.node')
const BUILD_INFO_RELATIVE_PATH = join('native', 'electron', 'build-info.json')

export type SqliteBindingLookup = { ok: true; path: string } | { ok: false; message: string }

/** Finds the binding and checks it was built for this Electron version. */
export function locateElectronSqliteBinding(appRoot: string, electronVersion: string): SqliteBindingLookup {
  const override = process.env.RW_SQLITE_BINDING
  if (override) return { ok: true, path: override }
  const path = join(appRoot, ELECTRON_SQLITE_RELATIVE_PATH)
  const fix = 'Run `npm run setup:electron` in the app folder (it needs an internet connection) and start again.'
  if (!existsSync(path)) {
    return { ok: false, message: `The database module for the desktop app is missing (${path}). ${fix}` }
  }
  try {
    const info = JSON.parse(readFileSync(join(appRoot, BUILD_INFO_RELATIVE_PATH), 'utf8')) as { electron?: string }
    if (info.electron && info.electron !== electronVersion) {
      return {
        ok: false,
        message: `The database module was built for Electron ${info.electron}, but this is Electron ${electronVersion}. ${fix}`,
      }
    }
  } catch {
    // No build info: trust the file; loading it reports an ABI mismatch clearly enough.
  }
  return { ok: true, path }
}
