/**
 * Where images are decoded and prepared: on the detector's own thread, or spread over a pool
 * of worker threads (prepare-worker.ts) so that this CPU work scales with the cores that
 * inference leaves free. That matters most when the graph runs on a GPU and decoding and
 * resizing become the ceiling of batch detection. Both ways give identical tensors; the pool
 * only changes which thread computes them.
 *
 * Workers start lazily with the first image and are released by `close()`; an idle pool does
 * not keep the process alive. A worker that dies hands its images back to the detector's own
 * thread, so a run never loses an image to it.
 */
import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { prepareFile, type Prepared } from './prepare-file'
import type { PrepareJob, PrepareReply, PrepareWorkerData, RecycleTensor } from './prepare-protocol'
import { isWholeBuffer, TensorBuffers } from './tensor-buffers'
import { findWorkerEntry, startWorker } from './worker-entry'
import type { InputConfig, InputPrecision } from './types'

/** The most preparation workers a detector starts, whatever the core count. */
export const MAX_PREPARE_THREADS = 8

export interface Preparer {
  prepare(path: string): Promise<Prepared>
  /**
   * Hands back a prepared tensor the caller is done with (its graph run finished), to be filled
   * again for a later image. The caller must not touch it afterwards.
   */
  recycle(data: Float32Array): void
  /** How many worker threads prepare images (0: the detector's own thread). */
  readonly threads: number
  close(): Promise<void>
}

/**
 * Workers for the cores inference does not use: every core but one (the detector's thread)
 * when the graph runs on a GPU; with ONNX Runtime on the CPU, the cores beyond its intra-op
 * threads (none when it takes its default of one per core).
 */
export function defaultPrepareThreads(providerUsed: string, inferenceThreads: number | undefined, cores = availableParallelism()): number {
  const free = providerUsed === 'cpu' ? (inferenceThreads === undefined || inferenceThreads === 0 ? 0 : cores - inferenceThreads) : cores - 1
  return Math.max(0, Math.min(MAX_PREPARE_THREADS, free))
}

export function createPreparer(input: InputConfig, maxPixels: number, threads: number, precision: InputPrecision = 'float32'): Preparer {
  const buffers = new TensorBuffers()
  const inThread = (path: string) => prepareFile(path, input, maxPixels, buffers, precision)
  // Without the worker entry (left out of a build), images are prepared on the detector's thread.
  const entry = threads > 0 ? findWorkerEntry(import.meta.url, 'prepare-worker') : null
  if (!entry) return { prepare: inThread, recycle: (data) => buffers.give(data), threads: 0, close: async () => {} }

  interface PoolWorker {
    worker: Worker
    pending: Map<number, { path: string; resolve: (prepared: Prepared) => void }>
    alive: boolean
  }
  const workers: PoolWorker[] = []
  let nextId = 0
  let nextRecycler = 0
  let closed = false

  const retire = (member: PoolWorker) => {
    if (!member.alive) return
    member.alive = false
    // What it was preparing is prepared here instead: a dead worker loses no image.
    for (const job of member.pending.values()) void inThread(job.path).then(job.resolve)
    member.pending.clear()
  }
  const start = (): PoolWorker => {
    const data: PrepareWorkerData = { input, maxPixels, precision }
    const worker = startWorker(entry, data)
    const member: PoolWorker = { worker, pending: new Map(), alive: true }
    worker.unref()
    worker.on('message', (reply: PrepareReply) => {
      const job = member.pending.get(reply.id)
      member.pending.delete(reply.id)
      if (member.pending.size === 0) worker.unref()
      job?.resolve(reply.prepared)
    })
    worker.on('error', () => retire(member))
    worker.on('exit', () => retire(member))
    return member
  }

  return {
    threads,
    prepare(path) {
      if (closed) return inThread(path)
      while (workers.length < threads) workers.push(start())
      const live = workers.filter((w) => w.alive)
      if (live.length === 0) return inThread(path)
      const member = live.reduce((least, w) => (w.pending.size < least.pending.size ? w : least))
      const id = nextId++
      return new Promise<Prepared>((resolve) => {
        member.pending.set(id, { path, resolve })
        // Referenced while it owes an answer, so awaiting it keeps the process alive.
        member.worker.ref()
        member.worker.postMessage({ id, path } satisfies PrepareJob)
      })
    },
    recycle(data) {
      const live = workers.filter((w) => w.alive)
      if (closed || live.length === 0 || !isWholeBuffer(data)) {
        buffers.give(data)
        return
      }
      // Spread over the workers, each of which prepares a share of the images.
      const member = live[nextRecycler++ % live.length]!
      const buffer = data.buffer as ArrayBuffer
      member.worker.postMessage({ recycle: buffer } satisfies RecycleTensor, [buffer])
    },
    async close() {
      closed = true
      await Promise.all(
        workers.map(async (member) => {
          retire(member)
          await member.worker.terminate()
        }),
      )
    },
  }
}
