import type { SqliteDatabase } from './connection'
import { requireRun } from './runs-repository'

/** An image a run still has to process. */
export interface PendingImage {
  id: number
  relativePath: string
}

export interface RunProgress {
  /** Images finished with detections. */
  done: number
  /** Images recorded as errors. */
  errors: number
  /** Images in the run's scope without a result yet. */
  pending: number
  detections: number
}

/*
 * An image belongs to a run's scope when it is present (not missing) and, for the
 * `unprocessed` scope, still new or failed last time. Images the run has recorded (done
 * or error) are left out, so resuming an interrupted run picks up exactly where it stopped.
 */
const pendingCondition = `
  i.missing = 0
  AND (@scope = 'all' OR i.status IN ('new', 'error'))
  AND NOT EXISTS (SELECT 1 FROM run_images r WHERE r.run_id = @runId AND r.image_id = i.id)`

/**
 * The next images the run has to process, in path order after `afterPath` (keyset paging:
 * pass the last path of the previous page; empty string for the first).
 */
export function listPendingImages(db: SqliteDatabase, runId: number, afterPath: string, limit: number): PendingImage[] {
  const { scope } = requireRun(db, runId)
  return db
    .prepare(
      `SELECT i.id, i.path AS relativePath FROM images i
       WHERE i.path > @afterPath AND ${pendingCondition}
       ORDER BY i.path LIMIT @limit`,
    )
    .all({ runId, scope, afterPath, limit }) as PendingImage[]
}

export function countPendingImages(db: SqliteDatabase, runId: number): number {
  const { scope } = requireRun(db, runId)
  return db.prepare(`SELECT count(*) FROM images i WHERE ${pendingCondition}`).pluck().get({ runId, scope }) as number
}

export function getRunProgress(db: SqliteDatabase, runId: number): RunProgress {
  const counts = db
    .prepare(
      `SELECT coalesce(sum(state = 'done'), 0) AS done, coalesce(sum(state = 'error'), 0) AS errors,
              coalesce(sum(detection_count), 0) AS detections
       FROM run_images WHERE run_id = ?`,
    )
    .get(runId) as { done: number; errors: number; detections: number }
  return { ...counts, pending: countPendingImages(db, runId) }
}
