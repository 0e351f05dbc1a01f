import type { ProjectStats } from '../../../src-shared/api/types'
import type { SqliteDatabase } from './connection'
import type { ImageStatus } from './image-status'
import { countLatestDetections } from './latest-detection-counts'

export interface ImageStatusCounts {
  total: number
  new: number
  detected: number
  reviewed: number
  error: number
  /** Images whose file the last rescan did not find (counted in their status too). */
  missing: number
}

export interface ClassCount {
  classId: number
  count: number
}

export interface DetectionCounts {
  total: number
  /** Classes with at least one detection, by class id. */
  byClass: ClassCount[]
}

export function countImagesByStatus(db: SqliteDatabase): ImageStatusCounts {
  const counts: ImageStatusCounts = { total: 0, new: 0, detected: 0, reviewed: 0, error: 0, missing: 0 }
  const rows = db.prepare('SELECT status, count(*) AS count FROM images GROUP BY status').all() as Array<{
    status: ImageStatus
    count: number
  }>
  for (const row of rows) {
    counts[row.status] = row.count
    counts.total += row.count
  }
  counts.missing = db.prepare('SELECT count(*) FROM images WHERE missing = 1').pluck().get() as number
  return counts
}

/** Raw detections of one run, or of every run when `runId` is omitted. */
export function countDetections(db: SqliteDatabase, runId?: number): DetectionCounts {
  const where = runId === undefined ? '' : 'WHERE run_id = @runId'
  const total = db
    .prepare(`SELECT coalesce(sum(detection_count), 0) FROM run_images ${where}`)
    .pluck()
    .get(runId === undefined ? {} : { runId }) as number
  // run_class_counts is written with the detections (see recordImageResults): no scan of millions of rows.
  const byClass = db
    .prepare(
      `SELECT class_id AS classId, sum(detection_count) AS count FROM run_class_counts ${where}
       GROUP BY class_id HAVING sum(detection_count) > 0 ORDER BY class_id`,
    )
    .all(runId === undefined ? {} : { runId }) as ClassCount[]
  return { total, byClass }
}

/** Current labels (deleted ones left out) per class. */
export function countAnnotationsByClass(db: SqliteDatabase): ClassCount[] {
  return db
    .prepare(
      `SELECT class_id AS classId, count(*) AS count FROM annotations
       WHERE deleted_at IS NULL GROUP BY class_id ORDER BY class_id`,
    )
    .all() as ClassCount[]
}

/** Labels in the project (deleted ones left out). */
export function countLabels(db: SqliteDatabase): number {
  return db.prepare('SELECT count(*) FROM annotations WHERE deleted_at IS NULL').pluck().get() as number
}

/** The project's counts as the API shows them, read in one transaction so that they agree. */
export function readProjectStats(db: SqliteDatabase): ProjectStats {
  return db.transaction((): ProjectStats => {
    const { total: _total, missing, ...imagesByStatus } = countImagesByStatus(db)
    return { imagesByStatus, missingImages: missing, labelCount: countLabels(db), detectionCount: countLatestDetections(db) }
  })()
}
