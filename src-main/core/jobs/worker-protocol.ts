/** Messages between runInWorker (the host) and detection-worker.ts. Plain data only: they are structured-cloned. */
import type { DetectionRunProgress, DetectionRunSettings, DetectionRunStarted, DetectionRunSummary } from './detection-run-types'
import type { Said } from '../../../src-shared/messages/said'

/** What the worker is asked to do; passed as `workerData`. */
export type DetectionJobRequest =
  | { kind: 'start'; projectFile: string; settings: DetectionRunSettings }
  | { kind: 'resume'; projectFile: string; runId: number; settings: Pick<DetectionRunSettings, 'threads' | 'commitEveryImages' | 'commitEveryMs'> }

export type HostMessage = { type: 'cancel' }

export type WorkerMessage =
  | { type: 'started'; started: DetectionRunStarted }
  | { type: 'progress'; progress: DetectionRunProgress }
  | { type: 'finished'; summary: DetectionRunSummary }
  /** `code` is the AppError code when the failure was one (e.g. `conflict`, `not-found`). */
  | { type: 'failed'; message: string; code: string | null; said?: Said }
