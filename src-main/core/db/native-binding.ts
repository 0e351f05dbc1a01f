/**
 * better-sqlite3 is a native module and must match the ABI of the runtime that loads it.
 * Node (tests, CLI, `serve`) uses the copy npm built in node_modules; the Electron app
 * points this at a separately built copy (see `npm run setup:electron`) so neither build
 * overwrites the other.
 */
let nativeBindingPath: string | undefined

/**
 * Worker threads load their own copy of this module, so the path also travels in the
 * environment, which every worker started afterwards receives a copy of.
 */
const BINDING_VARIABLE = 'RETINA_WORKBENCH_SQLITE_BINDING'

export function setSqliteNativeBinding(path: string | undefined): void {
  nativeBindingPath = path
  if (path === undefined) delete process.env[BINDING_VARIABLE]
  else process.env[BINDING_VARIABLE] = path
}

export function getSqliteNativeBinding(): string | undefined {
  return nativeBindingPath ?? process.env[BINDING_VARIABLE]
}
