import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../detect/worker-entry'

/**
 * Starts the worker entry `name` that lies beside `fromModuleUrl`'s file: built, it is
 * JavaScript; from source (the CLI under tsx, tests) it is TypeScript, loaded through tsx.
 */
export function startWorkerBeside(fromModuleUrl: string, name: string, workerData: unknown): Worker {
  const extension = extname(fileURLToPath(fromModuleUrl))
  return startWorker({ url: new URL(`./${name}${extension}`, fromModuleUrl), typescript: extension === '.ts' }, workerData)
}
