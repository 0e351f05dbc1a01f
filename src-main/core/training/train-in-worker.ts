/**
 * Trains a project's model in a worker thread (training-worker.ts) and relays its reports.
 * An abort of `signal` asks the worker to stop after its current batch; the promise then
 * rejects with AppError `cancelled` (the last finished epoch's checkpoint stays, so the same
 * training started again continues from there).
 */
import type { ApiErrorCode } from '../../../src-shared/api/result'
import { AppError } from '../errors'
import { startWorkerBeside } from '../jobs/start-worker'
import type { ProjectTrainingReport, TrainingPlan } from './project-training'
import type { EpochReport } from './train-heads'
import type { TrainingHostMessage, TrainingJobRequest, TrainingWorkerMessage } from './training-worker-protocol'

export interface TrainingCallbacks {
  signal?: AbortSignal
  onPlan?(plan: TrainingPlan): void
  onStep?(done: number, total: number): void
  onEpoch?(report: EpochReport): void
}

export function trainInWorker(request: TrainingJobRequest, callbacks: TrainingCallbacks = {}): Promise<ProjectTrainingReport> {
  const { signal } = callbacks
  if (signal?.aborted) return Promise.reject(new AppError('cancelled', { key: 'training.cancelledBeforeStart' }))
  const worker = startWorkerBeside(import.meta.url, 'training-worker', request)
  return new Promise<ProjectTrainingReport>((resolve, reject) => {
    let settled = false
    const settle = (finish: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', cancel)
      finish()
    }
    const cancel = () => worker.postMessage({ type: 'cancel' } satisfies TrainingHostMessage)
    signal?.addEventListener('abort', cancel, { once: true })
    worker.on('message', (message: TrainingWorkerMessage) => {
      switch (message.type) {
        case 'plan':
          callbacks.onPlan?.(message.plan)
          break
        case 'step':
          callbacks.onStep?.(message.done, message.total)
          break
        case 'epoch':
          callbacks.onEpoch?.(message.report)
          break
        case 'finished':
          settle(() => resolve(message.report))
          break
        case 'cancelled':
          settle(() => reject(new AppError('cancelled', { key: 'training.cancelled' })))
          break
        case 'failed':
          settle(() => reject(message.code ? new AppError(message.code as ApiErrorCode, message.message) : new Error(message.message)))
          break
      }
    })
    worker.on('error', (error) => settle(() => reject(error)))
    worker.on('exit', (code) => settle(() => reject(new Error(`The training worker stopped before the training ended (exit code ${code}).`))))
  })
}
