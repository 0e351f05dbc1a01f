/**
 * What an evaluation of a run reads from a project: the images a person reviewed that the run
 * processed, their current labels (deleted ones left out) as ground truth, and the run's
 * detections on them (a class merged into another read as that one); and the correction effort
 * on those images. Rows come ordered by image, then by id, so that ties in the evaluation
 * are broken the same way every time.
 */
import type { SqliteDatabase } from './connection'
import { countDetectionOutcomes, type DetectionOutcomeCounts } from './detection-outcomes'

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
  /** Reviewed images left out: no completed result in the run (or, comparing, in the other run). */
  reviewedWithoutResult: number
  labels: EvaluationBoxRow[]
  detections: EvaluationDetectionRow[]
}

/**
 * Reviewed images the run finished; with `sameImagesAs`, only those the other run finished too,
 * so that two runs are compared on the same images. Parameters @runId and @otherRunId.
 */
const EVALUATED_IMAGES = `
  SELECT i.id FROM images i
  JOIN run_images r ON r.image_id = i.id AND r.run_id = @runId AND r.state = 'done'
  WHERE i.status = 'reviewed'
    AND (@otherRunId IS NULL OR EXISTS (
      SELECT 1 FROM run_images o WHERE o.image_id = i.id AND o.run_id = @otherRunId AND o.state = 'done'))`

export function readEvaluationRows(db: SqliteDatabase, runId: number, sameImagesAs?: number): EvaluationRows {
  const parameters = { runId, otherRunId: sameImagesAs ?? null }
  return db.transaction(() => {
    const imageIds = db.prepare(`${EVALUATED_IMAGES} ORDER BY i.id`).pluck().all(parameters) as number[]
    const reviewed = db.prepare(`SELECT count(*) FROM images WHERE status = 'reviewed'`).pluck().get() as number
    const labels = db
      .prepare(
        `SELECT a.image_id AS imageId, coalesce(c.merged_into, a.class_id) AS classId, a.x1, a.y1, a.x2, a.y2
         FROM annotations a JOIN classes c ON c.id = a.class_id
         WHERE a.deleted_at IS NULL AND a.image_id IN (${EVALUATED_IMAGES})
         ORDER BY a.image_id, a.id`,
      )
      .all(parameters) as EvaluationBoxRow[]
    const detections = db
      .prepare(
        `SELECT d.image_id AS imageId, coalesce(c.merged_into, d.class_id) AS classId, d.score, d.x1, d.y1, d.x2, d.y2
         FROM detections d JOIN classes c ON c.id = d.class_id
         WHERE d.run_id = @runId AND d.image_id IN (${EVALUATED_IMAGES})
         ORDER BY d.image_id, d.id`,
      )
      .all(parameters) as EvaluationDetectionRow[]
    return { imageIds, reviewedWithoutResult: reviewed - imageIds.length, labels, detections }
  })()
}

export interface CorrectionEffort {
  /** What became of the run's detections on the reviewed images (see detection-outcomes.ts). */
  detections: DetectionOutcomeCounts
  /** Current labels a person drew (origin manual) on the evaluated images. */
  labelsAddedByHand: number
  /** Evaluated images with at least one edit (undone edits left out). */
  editedImages: number
  edits: number
  /** Per edited image, seconds from its first to its last edit: a lower bound of the time spent on it. */
  editSpanSeconds: number[]
}

/** How much correcting the run's output took on the evaluated images, from the labels and the edit log. */
export function readCorrectionEffort(db: SqliteDatabase, runId: number): CorrectionEffort {
  return db.transaction(() => {
    const parameters = { runId, otherRunId: null }
    const labelsAddedByHand = db
      .prepare(`SELECT count(*) FROM annotations WHERE deleted_at IS NULL AND origin = 'manual' AND image_id IN (${EVALUATED_IMAGES})`)
      .pluck()
      .get(parameters) as number
    const spans = db
      .prepare(
        `SELECT count(*) AS edits, min(created_at) AS first, max(created_at) AS last FROM edit_gestures
         WHERE undone = 0 AND image_id IN (${EVALUATED_IMAGES})
         GROUP BY image_id ORDER BY image_id`,
      )
      .all(parameters) as { edits: number; first: string; last: string }[]
    return {
      detections: countDetectionOutcomes(db, runId, true),
      labelsAddedByHand,
      editedImages: spans.length,
      edits: spans.reduce((sum, span) => sum + span.edits, 0),
      editSpanSeconds: spans.map((span) => (Date.parse(span.last) - Date.parse(span.first)) / 1000),
    }
  })()
}
