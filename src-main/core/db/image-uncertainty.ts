import type { SqliteDatabase } from './connection'
import { type ClassThresholds, effectiveThresholdsByRun, thresholdOf } from './label-thresholds-repository'
import { cachedStatement } from './statement-cache'

/**
 * How unsure the model is about each image, for the "most uncertain first" review order: the
 * images whose review teaches a fine-tuned model the most are those where the model could not
 * decide whether boxes are there.
 *
 * A detection's doubt is 1 when its score sits exactly at its class's label threshold and falls
 * linearly to 0 at DOUBT_BAND from it; an image's uncertainty is the sum over the detections of
 * its newest finished result, about how many boxes the model could not decide (0 when none sits
 * near the threshold). A sum rather than the largest doubt: with a low decode cutoff nearly every
 * image has one detection near the threshold, so the largest doubt is near 1 everywhere and
 * orders nothing. It is stored in `images.uncertainty` (indexed with the path) and kept current
 * where its inputs change: a run recording an image, the label thresholds changing, a run being
 * deleted.
 */

/** How far from the threshold (in score) a detection still counts as undecided. */
export const DOUBT_BAND = 0.2

/** `images.uncertainty` of an image no run has finished: it sorts after every detected image. */
export const NO_RESULT_UNCERTAINTY = -1

/** 1 at the threshold, falling linearly to 0 at DOUBT_BAND above or below it. */
export function detectionDoubt(score: number, threshold: number): number {
  return Math.max(0, 1 - Math.abs(score - threshold) / DOUBT_BAND)
}

/** The doubts of the detections, summed; 0 for none. */
export function imageUncertainty(
  detections: Iterable<{ classId: number; score: number }>,
  thresholds: ClassThresholds,
): number {
  let sum = 0
  for (const { classId, score } of detections) sum += detectionDoubt(score, thresholdOf(thresholds, classId))
  return sum
}

/** Stores one image's uncertainty; a recorded run result calls it inside its transaction. */
export function writeImageUncertainty(db: SqliteDatabase, imageId: number, uncertainty: number): void {
  cachedStatement(db, 'UPDATE images SET uncertainty = ? WHERE id = ?').run(uncertainty, imageId)
}

/** One image's uncertainty as the grid gives it: null before any run finished it. */
export function readImageUncertainty(db: SqliteDatabase, imageId: number): number | null {
  const row = cachedStatement(db, 'SELECT uncertainty FROM images WHERE id = ?').get(imageId) as { uncertainty: number } | undefined
  return row === undefined || row.uncertainty < 0 ? null : row.uncertainty
}

/**
 * Recomputes every image's uncertainty from its newest finished result under the current
 * thresholds (the project's, else each run's model operating point), as the labels are derived.
 * Call inside a transaction; one pass over the current results' detections.
 */
export function refreshImageUncertainty(db: SqliteDatabase): void {
  const thresholdsOf = effectiveThresholdsByRun(db)
  const rows = db
    .prepare(
      `SELECT latest.image_id AS imageId, latest.run_id AS runId,
              coalesce(c.merged_into, d.class_id) AS classId, d.score AS score
       FROM (SELECT image_id, max(run_id) AS run_id FROM run_images WHERE state = 'done' GROUP BY image_id) latest
       LEFT JOIN detections d ON d.run_id = latest.run_id AND d.image_id = latest.image_id
       LEFT JOIN classes c ON c.id = d.class_id`,
    )
    .iterate() as IterableIterator<{ imageId: number; runId: number; classId: number | null; score: number | null }>
  const uncertainty = new Map<number, number>()
  for (const row of rows) {
    const doubt =
      row.score === null || row.classId === null ? 0 : detectionDoubt(row.score, thresholdOf(thresholdsOf(row.runId), row.classId))
    uncertainty.set(row.imageId, (uncertainty.get(row.imageId) ?? 0) + doubt)
  }
  db.prepare('UPDATE images SET uncertainty = ? WHERE uncertainty <> ?').run(NO_RESULT_UNCERTAINTY, NO_RESULT_UNCERTAINTY)
  for (const [imageId, value] of uncertainty) writeImageUncertainty(db, imageId, value)
}
