/**
 * One session of a detection run: the images its scope still needs, streamed through the
 * detector, each result handed to the batched writer, progress reported as results arrive
 * and as they are saved, and the run ended as done, cancelled or failed. Shared by a new run
 * and a resumed one (see detection-run.ts). The session's runner holds the run's lease and
 * renews it as it goes; should another runner take the run over, it stops without ending it.
 */
import type { ImageResult as RecordedResultInput } from '../db/detections-repository'
import type { Detection } from '../detect/types'
import { getRunProgress, listPendingImages, type PendingImage } from '../db/run-progress'
import { finishRun } from '../db/runs-repository'
import type { Detector, ImageResult as DetectorResult } from '../detect/detector'
import type { OpenProject } from '../projects/open-project'
import { resolveImagePath } from '../projects/project-paths'
import { AppError } from '../errors'
import { createBatchedResultWriter, type BatchedResultWriter } from './batched-result-writer'
import type { DetectionRunCallbacks, DetectionRunProgress, DetectionRunSettings, DetectionRunSummary } from './detection-run-types'
import { keepRunLease } from './lease-heartbeat'
import { createProgressMeter } from './progress-meter'

const DEFAULT_COMMIT_EVERY_IMAGES = 32
const DEFAULT_COMMIT_EVERY_MS = 250
const PENDING_PAGE_SIZE = 1000

function listAllPending(project: OpenProject, runId: number): PendingImage[] {
  const pending: PendingImage[] = []
  for (let afterPath = ''; ; ) {
    const page = listPendingImages(project.db, runId, afterPath, PENDING_PAGE_SIZE)
    pending.push(...page)
    if (page.length < PENDING_PAGE_SIZE) return pending
    afterPath = page[page.length - 1]!.relativePath
  }
}

export interface RunSession {
  runId: number
  resumed: boolean
  /** The lease this runner holds on the run (claimed before the session starts). */
  leaseOwner: string
}

export async function processRun(
  project: OpenProject,
  detector: Detector,
  { runId, resumed, leaseOwner }: RunSession,
  settings: DetectionRunSettings,
  callbacks: DetectionRunCallbacks,
): Promise<DetectionRunSummary> {
  const { db } = project
  const { signal } = callbacks
  const started = performance.now()
  const pending = listAllPending(project, runId)
  const before = getRunProgress(db, runId)
  const alreadyRecorded = before.done + before.errors
  const total = alreadyRecorded + pending.length
  const { provider } = detector.model
  callbacks.onStarted?.({
    runId,
    resumed,
    modelPath: detector.model.path,
    providerUsed: provider.used,
    providerDevice: provider.device,
    providerSkipped: provider.skipped,
    providerFallbackReason: provider.fallbackReason,
    total,
    alreadyRecorded,
  })

  const progress: DetectionRunProgress = {
    runId,
    processed: alreadyRecorded,
    saved: alreadyRecorded,
    total,
    errors: before.errors,
    detections: before.detections,
    imagesPerSecond: 0,
    etaSeconds: pending.length === 0 ? 0 : null,
    currentFile: null,
    lastError: null,
  }
  const meter = createProgressMeter()
  const emit = () => {
    progress.imagesPerSecond = meter.imagesPerSecond()
    progress.etaSeconds = meter.etaSeconds(total - progress.processed)
    callbacks.onProgress?.({ ...progress })
    progress.lastError = null
  }
  const labelling = { labelledImages: 0, keptPersonLabels: 0 }
  const writer = createBatchedResultWriter(db, runId, {
    maxImages: settings.commitEveryImages ?? DEFAULT_COMMIT_EVERY_IMAGES,
    maxDelayMs: settings.commitEveryMs ?? DEFAULT_COMMIT_EVERY_MS,
    onCommitted(recorded) {
      for (const result of recorded) {
        if (result.outcome === 'recorded') progress.saved++
        if (result.labels === 'replaced') labelling.labelledImages++
        if (result.labels === 'kept-person-labels') labelling.keptPersonLabels++
      }
      emit()
    },
  })

  const summary = (state: 'done' | 'cancelled'): DetectionRunSummary => ({
    runId,
    state,
    total,
    processed: progress.processed,
    processedThisSession: progress.processed - alreadyRecorded,
    errors: progress.errors,
    detections: progress.detections,
    ...labelling,
    seconds: (performance.now() - started) / 1000,
    providerUsed: provider.used,
    providerDevice: provider.device,
    providerSkipped: provider.skipped,
    providerFallbackReason: provider.fallbackReason,
  })

  const lease = keepRunLease(db, runId, leaseOwner)
  const checkLeaseHeld = () => {
    if (lease.lost) {
      throw new AppError('conflict', { key: 'run.takenOver', values: { runId } })
    }
  }

  const record = (image: PendingImage, result: RecordedResultInput) => {
    checkLeaseHeld()
    meter.tick()
    progress.processed++
    progress.currentFile = image.relativePath
    if (result.state === 'error') {
      progress.errors++
      progress.lastError = { relativePath: image.relativePath, message: result.errorMessage }
    } else {
      progress.detections += result.detections.length
    }
    // Counted before it is handed over: the writer may commit (and report `saved`) at once.
    writer.add(result)
    emit()
  }

  try {
    const byPath = new Map<string, PendingImage>()
    for (const image of pending) {
      try {
        byPath.set(resolveImagePath(project.imageRoot, image.relativePath), image)
      } catch (error) {
        record(image, { imageId: image.id, state: 'error', errorMessage: (error as Error).message })
      }
    }
    const results = detector.detectFiles([...byPath.keys()], { signal })
    for await (const result of results) {
      const image = byPath.get(result.path)
      if (!image) throw new Error(`The detector returned a result for an unexpected file: ${result.path}`)
      record(image, toRecordedInput(image.id, result))
    }
    checkLeaseHeld()
    writer.close()
    finishRun(db, runId, { state: 'done', finishedAt: new Date().toISOString() })
    emit()
    return summary('done')
  } catch (error) {
    if (signal?.aborted && !lease.lost) {
      // Results already computed are complete and worth keeping; only the images in flight are lost.
      writer.close()
      finishRun(db, runId, { state: 'cancelled', finishedAt: new Date().toISOString() })
      emit()
      return summary('cancelled')
    }
    if (lease.lost) {
      // The run is the other runner's now: keep what was computed (an image is never recorded
      // twice) but leave the run's state to its new owner.
      saveQuietly(writer)
    } else {
      failRun(project, runId, error, writer)
    }
    throw error
  } finally {
    lease.stop()
  }
}

function saveQuietly(writer: BatchedResultWriter): void {
  try {
    writer.close()
  } catch {
    // The original error matters more; the images that could not be saved stay pending.
  }
}

/** Marks the run failed, saving what can still be saved; never hides the original error. */
function failRun(project: OpenProject, runId: number, error: unknown, writer: BatchedResultWriter): void {
  saveQuietly(writer)
  try {
    const message = (error instanceof Error ? error.message : String(error)) || 'The run failed.'
    finishRun(project.db, runId, { state: 'failed', finishedAt: new Date().toISOString(), errorMessage: message })
  } catch {
    // Left `running`; resuming it later still works.
  }
}

function toRecordedInput(imageId: number, result: DetectorResult): RecordedResultInput {
  if (!result.ok) return { imageId, state: 'error', errorMessage: result.error.trim() || 'The image could not be processed.' }
  const detections: Detection[] = result.detections
  const invalid = detections.find(({ box: [x1, y1, x2, y2], score }) => ![x1, y1, x2, y2, score].every(Number.isFinite) || x2 < x1 || y2 < y1 || score < 0 || score > 1)
  if (invalid) return { imageId, state: 'error', errorMessage: `The model produced an invalid box [${invalid.box.join(', ')}] (score ${invalid.score}).` }
  return { imageId, state: 'done', detections }
}
