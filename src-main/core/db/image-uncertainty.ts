import type { SqliteDatabase } from './connection'
import { type ClassThresholds, findProjectLabelThresholds, runModelThresholds, thresholdOf } from './label-thresholds-repository'
import { cachedStatement } from './statement-cache'

/**
 * How unsure the model is about each image, for the "most uncertain first" review order: the
 * images whose review teaches a fine-tuned model the most are those where the model could not
 * decide whether a box is there.
 *
 * A detection's doubt is 1 when its score sits exactly at its class's label threshold and falls
 * linearly to 0 at a score of 0 and of 1; an image's uncertainty is the doubt of its most
 * doubtful detection in its newest finished result (0 when that result found nothing). It is
 * stored in `images.uncertainty` (indexed with the path) and kept current where its inputs
 * change: a run recording an image, the label thresholds changing, a run being deleted.
 */

/** `images.uncertainty` of an image no run has finished: it sorts after every detected image. */
export const NO_RESULT_UNCERTAINTY = -1

/** 1 at the threshold, 0 at a score of 0 or 1, linear in between on each side. */
export function detectionDoubt(score: number, threshold: number): number {
  if (score === threshold) return 1
  const span = score > threshold ? 1 - threshold : threshold
  return Math.max(0, 1 - Math.abs(score - threshold) / span)
}

/** The doubt of the most doubtful detection; 0 for none. */
export function imageUncertainty(
  detections: Iterable<{ classId: number; score: number }>,
  thresholds: ClassThresholds,
): number {
  let most = 0
  for (const { classId, score } of detections) most = Math.max(most, detectionDoubt(score, thresholdOf(thresholds, classId)))
  return most
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
  const project = findProjectLabelThresholds(db)
  const byRun = new Map<number, ClassThresholds>()
  const thresholdsOf = (runId: number): ClassThresholds => {
    if (project) return project
    let found = byRun.get(runId)
    if (!found) byRun.set(runId, (found = runModelThresholds(db, runId)))
    return found
  }
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
    uncertainty.set(row.imageId, Math.max(uncertainty.get(row.imageId) ?? 0, doubt))
  }
  db.prepare('UPDATE images SET uncertainty = ? WHERE uncertainty <> ?').run(NO_RESULT_UNCERTAINTY, NO_RESULT_UNCERTAINTY)
  for (const [imageId, value] of uncertainty) writeImageUncertainty(db, imageId, value)
}
