import type { JobInfo, JobKind, JobOutcome, JobProgress, JobUnit } from '../../../src-shared/api/job-types'
import { AppError, isAppError } from '../errors'
import { inEnglish, type Said } from '../../../src-shared/messages/said'
import type { EventHub } from '../events/event-hub'

/**
 * Every long piece of work the main process does for a person (a scan, an export, an import)
 * runs through here, so they all report the same way: `job.started`, then `job.progress` with
 * rate and time left (at most one per `progressIntervalMs`, plus the first and the last), then
 * `job.finished` with the outcome; each names its project. `jobs.cancel` reaches any of them.
 * The work itself goes on where it was (this thread, or a worker it starts); the runner only
 * keeps the books and hands the work an AbortSignal and a progress function.
 */

export interface JobSpec {
  kind: JobKind
  /** What the job does, as a key of the server catalogue: the tray words it in the window's language. */
  title: Said
  projectFile: string | null
  unit: JobUnit
  /** Whether the work honours its signal; a job that cannot stop is not offered a Cancel. */
  cancellable: boolean
  /** At most one job of this kind at a time in this process; a second is refused with `conflict`. */
  exclusive?: string
}

export interface JobHandle {
  readonly id: number
  readonly signal: AbortSignal
  /** `done` of `total` units finished; cheap to call for every unit. */
  progress(done: number, total: number): void
  /** Says where the job stands (a key of the server catalogue); sent at once (call it for milestones, not every unit). */
  describe(detail: Said): void
}

export interface JobRunnerOptions {
  progressIntervalMs?: number
  /** Milliseconds; a clock of its own for tests. */
  now?: () => number
}

interface RunningJob {
  info: JobInfo
  controller: AbortController
  exclusive: string | undefined
  startedMs: number
  /** The first progress seen: a resumed job's earlier units took no time now. */
  baseline: { done: number; ms: number } | null
  lastSentMs: number
}

const DEFAULT_PROGRESS_INTERVAL_MS = 100

/** The sentence a failed job's `job.finished` carries. */
function failureMessage(error: unknown): string {
  if (isAppError(error)) return error.message
  return error instanceof Error ? `Something went wrong: ${error.message}` : 'Something went wrong.'
}

export class JobRunner {
  private readonly jobs = new Map<number, RunningJob>()
  private nextId = 1
  private readonly progressIntervalMs: number
  private readonly now: () => number

  constructor(
    private readonly events: EventHub,
    options: JobRunnerOptions = {},
  ) {
    this.progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS
    this.now = options.now ?? (() => performance.now())
  }

  /** Runs `work` as a job; resolves or rejects as `work` does, after `job.finished` was sent. */
  async run<T>(spec: JobSpec, work: (job: JobHandle) => Promise<T>): Promise<T> {
    if (spec.exclusive !== undefined && [...this.jobs.values()].some((job) => job.exclusive === spec.exclusive)) {
      throw new AppError('conflict', `${inEnglish(spec.title)} cannot start: another one is going on. Wait for it or cancel it.`)
    }
    const job: RunningJob = {
      info: {
        id: this.nextId++,
        kind: spec.kind,
        title: inEnglish(spec.title),
        titleSaid: spec.title,
        projectFile: spec.projectFile,
        startedAt: new Date().toISOString(),
        progress: null,
        cancellable: spec.cancellable,
      },
      controller: new AbortController(),
      exclusive: spec.exclusive,
      startedMs: this.now(),
      baseline: null,
      lastSentMs: Number.NEGATIVE_INFINITY,
    }
    this.jobs.set(job.info.id, job)
    this.events.emit({ type: 'job.started', job: job.info })
    const handle: JobHandle = {
      id: job.info.id,
      signal: job.controller.signal,
      progress: (done, total) => this.progress(job, spec.unit, done, total),
      describe: (detail) => {
        job.info = { ...job.info, detail: inEnglish(detail), detailSaid: detail }
        job.lastSentMs = this.now()
        this.events.emit({ type: 'job.progress', job: job.info })
      },
    }
    try {
      const result = await work(handle)
      this.finish(job, job.controller.signal.aborted ? 'cancelled' : 'done')
      return result
    } catch (error) {
      // Work may also end cancelled by other means (its project closed): it says so with `cancelled`.
      if (job.controller.signal.aborted || (isAppError(error) && error.code === 'cancelled')) this.finish(job, 'cancelled')
      else this.finish(job, 'failed', failureMessage(error))
      throw error
    }
  }

  /** Asks a job to stop; false when there is no such job or it cannot be cancelled. */
  cancel(jobId: number): boolean {
    const job = this.jobs.get(jobId)
    if (!job || !job.info.cancellable) return false
    job.controller.abort()
    return true
  }

  /** Asks every job of this project to stop (it is closing). */
  cancelProjectJobs(projectFile: string): void {
    for (const job of this.jobs.values()) {
      if (job.info.projectFile === projectFile && job.info.cancellable) job.controller.abort()
    }
  }

  /** The jobs going on now, oldest first: what a window opened meanwhile shows. */
  active(): JobInfo[] {
    return [...this.jobs.values()].map((job) => job.info)
  }

  private progress(job: RunningJob, unit: JobUnit, done: number, total: number): void {
    const now = this.now()
    job.baseline ??= { done, ms: now }
    const finished = done >= total
    const first = job.info.progress === null
    job.info = { ...job.info, progress: this.measure(job, unit, done, total, now) }
    if (!first && !finished && now - job.lastSentMs < this.progressIntervalMs) return
    job.lastSentMs = now
    this.events.emit({ type: 'job.progress', job: job.info })
  }

  private measure(job: RunningJob, unit: JobUnit, done: number, total: number, now: number): JobProgress {
    const baseline = job.baseline!
    const seconds = (now - baseline.ms) / 1000
    const perSecond = seconds > 0 && done > baseline.done ? (done - baseline.done) / seconds : null
    const etaSeconds = done >= total ? 0 : perSecond === null ? null : (total - done) / perSecond
    return { done, total, unit, perSecond, etaSeconds }
  }

  private finish(job: RunningJob, outcome: JobOutcome, message?: string): void {
    this.jobs.delete(job.info.id)
    this.events.emit({ type: 'job.finished', job: job.info, outcome, ...(message !== undefined ? { message } : {}) })
  }
}
