/**
 * A model whose ONNX Runtime session lives on its own worker thread (inference-worker.ts).
 * onnxruntime-node's run() blocks the thread that calls it for as long as the graph runs; on a
 * GPU that thread would otherwise also decode outputs, assemble batches, receive prepared images
 * and write results, all while the GPU waits. Here those happen on the caller's thread during the
 * graph run, and the next batch is already queued when one ends.
 *
 * Tensors cross the thread boundary without copies (their memory is transferred): the batch
 * tensor goes over and comes back with the outputs, to be filled again. Errors come back as the
 * same classes the in-thread loader throws.
 */
import type { Worker } from 'node:worker_threads'
import { GraphModel, type GraphFacts, type GraphOutput, type GraphRunner, type GraphTensor } from './graph-model'
import { errorFromData, type FromInferenceThread, type InferenceWorkerData, type ToInferenceThread } from './inference-protocol'
import type { LoadModelOptions } from './model'
import { findWorkerEntry, startWorker } from './worker-entry'

interface PendingRun {
  resolve: (result: { outputs: GraphOutput[]; input: ArrayBuffer }) => void
  reject: (error: Error) => void
}

/** How long a closing thread may take to release its session before it is stopped. */
const CLOSE_GRACE_MS = 5000

/**
 * Loads the model on an inference thread: the same checks, warm-up and batch measurement as
 * loadModel, the same errors. Null when this build has no inference worker entry (the caller
 * then loads the model on its own thread).
 */
export async function loadModelOnThread(modelPath: string, options: LoadModelOptions = {}): Promise<GraphModel | null> {
  const entry = findWorkerEntry(import.meta.url, 'inference-worker')
  if (!entry) return null
  const worker = startWorker(entry, { modelPath, options } satisfies InferenceWorkerData)
  const thread = new InferenceThread(worker)
  return new GraphModel(await thread.loaded, thread)
}

class InferenceThread implements GraphRunner {
  readonly takesInput = true
  readonly loaded: Promise<GraphFacts>
  private readonly pending = new Map<number, PendingRun>()
  private nextId = 0
  /** Why no more runs can be made, once that is so. */
  private stopped: Error | null = null
  private onClosed: (() => void) | null = null

  constructor(private readonly worker: Worker) {
    this.loaded = new Promise((resolve, reject) => {
      worker.on('message', (message: FromInferenceThread) => {
        switch (message.kind) {
          case 'loaded':
            this.idle()
            return resolve(message.facts)
          case 'load-failed':
            void worker.terminate()
            return reject(errorFromData(message.error))
          case 'ran':
          case 'run-failed':
            return this.settle(message)
          case 'closed':
            return this.onClosed?.()
        }
      })
      const stop = (error: Error) => {
        this.stopped ??= error
        reject(error)
        for (const run of this.pending.values()) run.reject(error)
        this.pending.clear()
        this.onClosed?.()
      }
      worker.on('error', (error) => stop(new Error(`the inference thread failed: ${error.message}`)))
      worker.on('exit', (code) => stop(new Error(`the inference thread stopped (exit code ${code})`)))
    })
  }

  run(tensor: GraphTensor): Promise<{ outputs: GraphOutput[]; input: ArrayBuffer }> {
    if (this.stopped) return Promise.reject(this.stopped)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      // Referenced while it owes an answer, so awaiting a run keeps the process alive.
      this.worker.ref()
      const message: ToInferenceThread = { kind: 'run', id, tensor }
      this.worker.postMessage(message, [tensor.data.buffer as ArrayBuffer])
    })
  }

  async close(): Promise<void> {
    if (this.stopped) return
    this.stopped = new Error('the model is closed')
    const closed = new Promise<void>((resolve) => {
      this.onClosed = resolve
      setTimeout(resolve, CLOSE_GRACE_MS).unref()
    })
    this.worker.postMessage({ kind: 'close' } satisfies ToInferenceThread)
    this.worker.ref()
    await closed
    await this.worker.terminate()
  }

  private settle(message: Extract<FromInferenceThread, { kind: 'ran' | 'run-failed' }>): void {
    const run = this.pending.get(message.id)
    this.pending.delete(message.id)
    if (this.pending.size === 0) this.idle()
    if (!run) return
    if (message.kind === 'ran') run.resolve({ outputs: message.outputs, input: message.input })
    else run.reject(errorFromData(message.error))
  }

  /** An idle thread does not keep the process alive (a detector left open must not hang a command). */
  private idle(): void {
    this.worker.unref()
  }
}
