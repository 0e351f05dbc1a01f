/**
 * The Electron app's SQLite binding must reach its worker threads too (runs, training and
 * evaluation open the project there): each worker loads its own copy of the module, so the
 * path travels in the environment the worker is given.
 */
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { getSqliteNativeBinding, setSqliteNativeBinding } from '../../../src-main/core/db/native-binding'

afterEach(() => setSqliteNativeBinding(undefined))

function bindingSeenByWorker(): Promise<unknown> {
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage(process.env.RETINA_WORKBENCH_SQLITE_BINDING ?? null)", { eval: true })
  return new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
}

describe('SQLite native binding', () => {
  it('reaches a worker thread started after it was set, and is cleared for later ones', async () => {
    setSqliteNativeBinding('/app/native/electron/better_sqlite3.node')
    expect(getSqliteNativeBinding()).toBe('/app/native/electron/better_sqlite3.node')
    expect(await bindingSeenByWorker()).toBe('/app/native/electron/better_sqlite3.node')
    setSqliteNativeBinding(undefined)
    expect(getSqliteNativeBinding()).toBeUndefined()
    expect(await bindingSeenByWorker()).toBeNull()
  })
})
