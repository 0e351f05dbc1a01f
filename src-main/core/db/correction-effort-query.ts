/**
 * How much correcting a run's output took on the images an evaluation covers, from the labels,
 * the edit log and the review marks.
 */
import type { SqliteDatabase } from './connection'
import { outcomeCounts, outcomeExpression, type DetectionOutcome, type DetectionOutcomeCounts } from './detection-outcomes'
import { EVALUATED_IMAGES, scopeParameters, type EvaluatedImagesScope } from './evaluation-query'

/** A gap between two reviews longer than this is a break, not time spent on the later image. */
export const REVIEW_BREAK_SECONDS = 600

export interface CorrectionEffort {
  /** What became of the run's detections on the evaluated images (see detection-outcomes.ts). */
  detections: DetectionOutcomeCounts
  /** Current labels a person drew (origin manual) on the evaluated images. */
  labelsAddedByHand: number
  /** Evaluated images with at least one edit (undone edits left out). */
  editedImages: number
  edits: number
  /** Per edited image, seconds from its first to its last edit: a lower bound of the time spent on it. */
  editSpanSeconds: number[]
  /**
   * Per evaluated image, seconds since the review before it in the whole project (reviews in
   * time order); the first review, gaps over REVIEW_BREAK_SECONDS, and reviews at the very
   * instant of the one before (marked together, as an import with --reviewed does) are not counted.
   */
  reviewSeconds: number[]
}

export function readCorrectionEffort(db: SqliteDatabase, scope: EvaluatedImagesScope): CorrectionEffort {
  const parameters = scopeParameters(scope)
  return db.transaction(() => {
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
    const outcomes = db
      .prepare(
        `SELECT ${outcomeExpression} AS outcome, count(*) AS count
         FROM detections d LEFT JOIN annotations a ON a.detection_id = d.id
         WHERE d.run_id = @runId AND d.image_id IN (${EVALUATED_IMAGES})
         GROUP BY outcome`,
      )
      .all(parameters) as { outcome: DetectionOutcome; count: number }[]
    const evaluated = new Set(db.prepare(EVALUATED_IMAGES).pluck().all(parameters) as number[])
    return {
      detections: outcomeCounts(outcomes),
      labelsAddedByHand,
      editedImages: spans.length,
      edits: spans.reduce((sum, span) => sum + span.edits, 0),
      editSpanSeconds: spans.map((span) => (Date.parse(span.last) - Date.parse(span.first)) / 1000),
      reviewSeconds: reviewGaps(db, evaluated),
    }
  })()
}

/** The gap before each review of an evaluated image, in the project's review order (time, then id). */
function reviewGaps(db: SqliteDatabase, evaluated: ReadonlySet<number>): number[] {
  const reviews = (db.prepare(`SELECT id, reviewed_at AS reviewedAt FROM images WHERE status = 'reviewed' AND reviewed_at IS NOT NULL`).all() as { id: number; reviewedAt: string }[])
    .map((review) => ({ id: review.id, time: Date.parse(review.reviewedAt) }))
    .filter((review) => Number.isFinite(review.time))
    .sort((a, b) => a.time - b.time || a.id - b.id)
  const gaps: number[] = []
  for (let i = 1; i < reviews.length; i++) {
    const review = reviews[i]!
    if (!evaluated.has(review.id)) continue
    const gap = (review.time - reviews[i - 1]!.time) / 1000
    if (gap > 0 && gap <= REVIEW_BREAK_SECONDS) gaps.push(gap)
  }
  return gaps
}
