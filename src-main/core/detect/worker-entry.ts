/**
 * Finding and starting the detector's worker-thread entries (preparation workers, the inference
 * thread). From source (the CLI under tsx, tests) an entry is TypeScript, which a worker loads
 * through tsx; built, it is `<name>.js`, which the build emits next to the main entry, one
 * folder above a code-split chunk.
 */
import { existsSync } from 'node:fs'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

export interface WorkerEntry {
  url: URL
  typescript: boolean
}

/** The entry `name` beside the module at `moduleUrl`, or null when the build left it out. */
export function findWorkerEntry(moduleUrl: string, name: string): WorkerEntry | null {
  if (extname(fileURLToPath(moduleUrl)) === '.ts') return { url: new URL(`./${name}.ts`, moduleUrl), typescript: true }
  for (const candidate of [`./${name}.js`, `../${name}.js`]) {
    const url = new URL(candidate, moduleUrl)
    if (existsSync(fileURLToPath(url))) return { url, typescript: false }
  }
  return null
}

export function startWorker(entry: WorkerEntry, workerData: unknown): Worker {
  if (!entry.typescript) return new Worker(entry.url, { workerData })
  // A worker does not inherit the TypeScript loader: it registers tsx before importing the entry.
  const loader = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.url.href)}) })`
  return new Worker(loader, { eval: true, workerData })
}
