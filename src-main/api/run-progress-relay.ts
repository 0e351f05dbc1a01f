import type { ApiEvent } from '@shared/api/events'
import type { RunProgress } from '@shared/api/types'

export interface RunProgressRelayOptions {
  /** Shortest time between two `run.progress` events (default 100 ms: about ten a second). */
  progressIntervalMs?: number
  /** Shortest time between two `images.changed` events while results are saved (default 500 ms). */
  imagesChangedIntervalMs?: number
}

/**
 * Turns the progress reports of one run into events. `run.progress` is throttled (the
 * latest report always goes out, late rather than never) and never goes backwards;
 * `run.imageFailed` goes out for every failed image; `images.changed` follows saved results,
 * throttled, so grids refresh while the run commits without refreshing on every image.
 */
export class RunProgressRelay {
  private latestProgress: RunProgress | null = null
  private sentProgress: RunProgress | null = null
  private lastProgressAt = Number.NEGATIVE_INFINITY
  private progressTimer: NodeJS.Timeout | null = null
  private savedAnnounced = 0
  private lastImagesChangedAt = Number.NEGATIVE_INFINITY
  private imagesTimer: NodeJS.Timeout | null = null
  private readonly progressIntervalMs: number
  private readonly imagesChangedIntervalMs: number

  constructor(
    /** The project file the run belongs to; every run event names it. */
    private readonly projectFile: string,
    private readonly emit: (event: ApiEvent) => void,
    options: RunProgressRelayOptions = {},
  ) {
    this.progressIntervalMs = options.progressIntervalMs ?? 100
    this.imagesChangedIntervalMs = options.imagesChangedIntervalMs ?? 500
  }

  /** The newest progress known, for `runs.active`. */
  get latest(): RunProgress | null {
    return this.latestProgress
  }

  push(report: RunProgress): void {
    if (report.lastError) {
      this.emit({ type: 'run.imageFailed', projectFile: this.projectFile, runId: report.runId, ...report.lastError })
    }
    const previous = this.latestProgress
    // Reports arrive in order, but the counters must never go backwards even if one did not.
    const progress: RunProgress =
      previous === null
        ? { ...report }
        : {
            ...report,
            processed: Math.max(previous.processed, report.processed),
            saved: Math.max(previous.saved, report.saved),
            errors: Math.max(previous.errors, report.errors),
            detections: Math.max(previous.detections, report.detections),
            // An error seen since the last event is still worth showing with the next one.
            lastError: report.lastError ?? (this.sentProgress === previous ? null : previous.lastError),
          }
    this.latestProgress = progress
    this.scheduleProgress(progress.processed >= progress.total)
    if (progress.saved > this.savedAnnounced) this.scheduleImagesChanged()
  }

  /** Sends what is still held back; call once when the run has ended. */
  finish(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer)
    if (this.imagesTimer) clearTimeout(this.imagesTimer)
    this.progressTimer = null
    this.imagesTimer = null
    this.sendProgress()
    this.emit({ type: 'images.changed' })
  }

  private scheduleProgress(immediately: boolean): void {
    const wait = this.lastProgressAt + this.progressIntervalMs - performance.now()
    if (immediately || wait <= 0) {
      if (this.progressTimer) clearTimeout(this.progressTimer)
      this.progressTimer = null
      this.sendProgress()
    } else if (!this.progressTimer) {
      this.progressTimer = setTimeout(() => {
        this.progressTimer = null
        this.sendProgress()
      }, wait)
    }
  }

  private sendProgress(): void {
    const progress = this.latestProgress
    if (!progress || progress === this.sentProgress) return
    this.sentProgress = progress
    this.lastProgressAt = performance.now()
    this.emit({ type: 'run.progress', projectFile: this.projectFile, progress })
  }

  private scheduleImagesChanged(): void {
    if (this.imagesTimer) return
    const wait = Math.max(0, this.lastImagesChangedAt + this.imagesChangedIntervalMs - performance.now())
    this.imagesTimer = setTimeout(() => {
      this.imagesTimer = null
      this.lastImagesChangedAt = performance.now()
      this.savedAnnounced = this.latestProgress?.saved ?? this.savedAnnounced
      this.emit({ type: 'images.changed' })
    }, wait)
  }
}
