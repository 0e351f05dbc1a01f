import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

/**
 * Starts the worker entry `name` that lies beside `fromModuleUrl`'s file. Built, it is
 * JavaScript and starts as is; from source (the CLI under tsx, tests) a worker does not inherit
 * the TypeScript loader, so it registers tsx itself before importing the entry.
 */
export function startWorkerBeside(fromModuleUrl: string, name: string, workerData: unknown): Worker {
  const extension = extname(fileURLToPath(fromModuleUrl))
  const entry = new URL(`./${name}${extension}`, fromModuleUrl)
  if (extension !== '.ts') return new Worker(entry, { workerData })
  const loader = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(loader, { eval: true, workerData })
}
