/** Database records turned into the plain contract types of @shared/api/types. */
import type { DetectionBox, GridImage, ProjectClass, RunSummary } from '@shared/api/types'
import type { ClassRecord } from '../core/db/classes-repository'
import type { SqliteDatabase } from '../core/db/connection'
import type { DetectionRecord } from '../core/db/detections-repository'
import type { ImageGridItem } from '../core/db/image-grid'
import { countRunResults, findRun, listRuns, type RunCounts, type RunRecord } from '../core/db/runs-repository'

const NO_COUNTS: RunCounts = { recorded: 0, failed: 0, detections: 0 }

function toRunSummary(run: RunRecord, counts: RunCounts): RunSummary {
  return {
    id: run.id,
    state: run.state,
    modelPath: run.modelPath,
    scope: run.scope,
    decodeCutoff: run.decodeCutoff,
    providerRequested: run.providerRequested,
    providerUsed: run.providerUsed,
    providerDevice: run.providerDevice,
    providerSkipped: run.providerSkipped,
    providerFallbackReason: run.providerFallbackReason,
    startedAt: run.startedAt,
    endedAt: run.finishedAt,
    errorMessage: run.errorMessage,
    imagesDone: counts.recorded,
    imagesFailed: counts.failed,
    detectionCount: counts.detections,
  }
}

export function readRunSummary(db: SqliteDatabase, runId: number): RunSummary | undefined {
  const run = findRun(db, runId)
  if (!run) return undefined
  return toRunSummary(run, countRunResults(db, runId).get(runId) ?? NO_COUNTS)
}

/** Every run, newest first, each with its counts (one grouped query, not one per run). */
export function readRunSummaries(db: SqliteDatabase): RunSummary[] {
  return db.transaction(() => {
    const counts = countRunResults(db)
    return listRuns(db).map((run) => toRunSummary(run, counts.get(run.id) ?? NO_COUNTS))
  })()
}

export function toGridImage(item: ImageGridItem): GridImage {
  const { format: _format, ...image } = item
  return image
}

export function toProjectClass(record: ClassRecord, labelCount: number, detectionCount: number): ProjectClass {
  return { id: record.id, name: record.name, color: record.color, order: record.sortOrder, labelCount, detectionCount }
}

export function toDetectionBox(record: DetectionRecord): DetectionBox {
  const [x1, y1, x2, y2] = record.box
  return { id: record.id, classId: record.classId, score: record.score, box: [x1, y1, x2, y2] }
}
