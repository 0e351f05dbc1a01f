/**
 * What an evaluation of a run reads from a project: the images a person reviewed that the run
 * processed, their current labels (deleted ones left out) as ground truth, and the run's
 * detections on them. Rows come ordered by image, then by id, so that ties in the evaluation
 * are broken the same way every time.
 */
import type { SqliteDatabase } from './connection'

export interface EvaluationBoxRow {
  imageId: number
  classId: number
  x1: number
  y1: number
  x2: number
  y2: number
}

export interface EvaluationDetectionRow extends EvaluationBoxRow {
  score: number
}

export interface EvaluationRows {
  /** Reviewed images with a completed result in the run, ascending id. */
  imageIds: number[]
  /** Reviewed images the run has no completed result for (not processed, or failed): left out. */
  reviewedWithoutResult: number
  labels: EvaluationBoxRow[]
  detections: EvaluationDetectionRow[]
}

export function readEvaluationRows(db: SqliteDatabase, runId: number): EvaluationRows {
  return db.transaction(() => {
    const imageIds = db
      .prepare(
        `SELECT i.id FROM images i
         JOIN run_images r ON r.image_id = i.id AND r.run_id = @runId AND r.state = 'done'
         WHERE i.status = 'reviewed' ORDER BY i.id`,
      )
      .pluck()
      .all({ runId }) as number[]
    const reviewed = db.prepare(`SELECT count(*) FROM images WHERE status = 'reviewed'`).pluck().get() as number
    const labels = db
      .prepare(
        `SELECT a.image_id AS imageId, a.class_id AS classId, a.x1, a.y1, a.x2, a.y2
         FROM annotations a
         JOIN images i ON i.id = a.image_id AND i.status = 'reviewed'
         JOIN run_images r ON r.image_id = a.image_id AND r.run_id = @runId AND r.state = 'done'
         WHERE a.deleted_at IS NULL
         ORDER BY a.image_id, a.id`,
      )
      .all({ runId }) as EvaluationBoxRow[]
    const detections = db
      .prepare(
        `SELECT d.image_id AS imageId, d.class_id AS classId, d.score, d.x1, d.y1, d.x2, d.y2
         FROM detections d
         JOIN images i ON i.id = d.image_id AND i.status = 'reviewed'
         WHERE d.run_id = @runId
         ORDER BY d.image_id, d.id`,
      )
      .all({ runId }) as EvaluationDetectionRow[]
    return { imageIds, reviewedWithoutResult: reviewed - imageIds.length, labels, detections }
  })()
}
