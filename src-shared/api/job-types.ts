/**
 * Long work in the main process (scans, detection runs, exports, imports, training; see src-main/core/jobs/job-runner.ts)
 * as the renderer sees it: one shape for every kind, so one progress view shows them all.
 */
import type { Said } from '../messages/said'

export const JOB_KINDS = ['scan', 'detection', 'export', 'import', 'training'] as const
export type JobKind = (typeof JOB_KINDS)[number]

/** What `done` and `total` count. */
export type JobUnit = 'files' | 'images'

export interface JobProgress {
  done: number
  total: number
  unit: JobUnit
  /** Measured over this job so far; null until there is something to measure. */
  perSecond: number | null
  /** Seconds left at that rate; null while unknown. */
  etaSeconds: number | null
}

export interface JobInfo {
  /** Unique in this process, increasing. */
  id: number
  kind: JobKind
  /** What the job does, in English ("Exporting labels as COCO"); `titleSaid` words it in another language. */
  title: string
  titleSaid?: Said
  /** The project the job works on, or null (a project being created has no file open yet). */
  projectFile: string | null
  /** ISO time. */
  startedAt: string
  progress: JobProgress | null
  /** Where the job stands beyond its count, in words ("epoch 3 of 12: held-out AP50 0.874"). */
  detail?: string
  detailSaid?: Said
  cancellable: boolean
}

export type JobOutcome = 'done' | 'cancelled' | 'failed'
