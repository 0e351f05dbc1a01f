/** Messages between prepare-pool.ts and prepare-worker.ts (structured-cloned plain data). */
import type { Prepared } from './prepare-file'
import type { InputConfig } from './types'

export interface PrepareWorkerData {
  input: InputConfig
  maxPixels: number
}

export interface PrepareJob {
  id: number
  path: string
}

export interface PrepareReply {
  id: number
  prepared: Prepared
}
