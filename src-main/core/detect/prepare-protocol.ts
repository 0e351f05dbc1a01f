/** Messages between prepare-pool.ts and prepare-worker.ts (structured-cloned plain data). */
import type { Prepared } from './prepare-file'
import type { InputConfig, InputPrecision } from './types'

export interface PrepareWorkerData {
  input: InputConfig
  maxPixels: number
  precision: InputPrecision
}

export interface PrepareJob {
  id: number
  path: string
}

/** A tensor the detector is done with, transferred back for the worker to fill again. */
export interface RecycleTensor {
  recycle: ArrayBuffer
}

export interface PrepareReply {
  id: number
  prepared: Prepared
}
