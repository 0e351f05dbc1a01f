/**
 * Runs a detection job in a worker thread and relays its messages: `onStarted`/`onProgress`
 * as the job reports them, the summary as the result, an abort of `signal` as a cancel (the
 * run then ends `cancelled` and the promise still resolves with its summary).
 */
import { AppError } from '../errors'
import type { ApiErrorCode } from '@shared/api/result'
import { startWorkerBeside } from './start-worker'
import type { DetectionRunCallbacks, DetectionRunSummary } from './detection-run-types'
import type { DetectionJobRequest, HostMessage, WorkerMessage } from './worker-protocol'

export function runInWorker(request: DetectionJobRequest, callbacks: DetectionRunCallbacks = {}): Promise<DetectionRunSummary> {
  const { signal } = callbacks
  if (signal?.aborted) return Promise.reject(signal.reason as Error)
  const worker = startWorkerBeside(import.meta.url, 'detection-worker', request)
  return new Promise<DetectionRunSummary>((resolve, reject) => {
    let settled = false
    const settle = (finish: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', cancel)
      finish()
    }
    const cancel = () => worker.postMessage({ type: 'cancel' } satisfies HostMessage)
    signal?.addEventListener('abort', cancel, { once: true })

    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'started':
          callbacks.onStarted?.(message.started)
          break
        case 'progress':
          callbacks.onProgress?.(message.progress)
          break
        case 'finished':
          settle(() => resolve(message.summary))
          break
        case 'failed':
          settle(() => reject(message.code ? new AppError(message.code as ApiErrorCode, message.said ?? message.message) : new Error(message.message)))
          break
      }
    })
    worker.on('error', (error) => settle(() => reject(error)))
    worker.on('exit', (code) => settle(() => reject(new Error(`The detection worker stopped before the run ended (exit code ${code}).`))))
  })
}
