/**
 * better-sqlite3 is a native module and must match the ABI of the runtime that loads it.
 * Node (tests, CLI, `serve`) uses the copy npm built in node_modules; the Electron app
 * points this at a separately built copy (see `npm run setup:electron`) so neither build
 * overwrites the other.
 */
let nativeBindingPath: string | undefined

export function setSqliteNativeBinding(path: string | undefined): void {
  nativeBindingPath = path
}

export function getSqliteNativeBinding(): string | undefined {
  return nativeBindingPath
}
