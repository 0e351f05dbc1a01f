import type { SqliteDatabase } from './connection'

/**
 * What became of a detection, judged against the labels people kept:
 * - `kept`: its label is still there with the detection's class and box;
 * - `moved` / `relabelled` / `moved-and-relabelled`: its label is there but a person
 *   changed the box, the class, or both;
 * - `deleted`: its label was deleted;
 * - `unlabelled`: it never became a label (below the run's threshold, the image already
 *   had a person's labels, or a later run replaced it).
 */
export type DetectionOutcome = 'kept' | 'moved' | 'relabelled' | 'moved-and-relabelled' | 'deleted' | 'unlabelled'

export interface DetectionOutcomeCounts {
  kept: number
  moved: number
  relabelled: number
  movedAndRelabelled: number
  deleted: number
  unlabelled: number
}

/** The outcome of detection `d` given its label `a` (LEFT JOIN annotations a ON a.detection_id = d.id). */
export const outcomeExpression = `
  CASE
    WHEN a.id IS NULL THEN 'unlabelled'
    WHEN a.deleted_at IS NOT NULL THEN 'deleted'
    WHEN a.class_id <> d.class_id AND (a.x1 <> d.x1 OR a.y1 <> d.y1 OR a.x2 <> d.x2 OR a.y2 <> d.y2) THEN 'moved-and-relabelled'
    WHEN a.class_id <> d.class_id THEN 'relabelled'
    WHEN a.x1 <> d.x1 OR a.y1 <> d.y1 OR a.x2 <> d.x2 OR a.y2 <> d.y2 THEN 'moved'
    ELSE 'kept'
  END`

/** The outcome of each detection of a run on one image, by detection id. */
export function listDetectionOutcomes(db: SqliteDatabase, runId: number, imageId: number): Map<number, DetectionOutcome> {
  const rows = db
    .prepare(
      `SELECT d.id, ${outcomeExpression} AS outcome
       FROM detections d LEFT JOIN annotations a ON a.detection_id = d.id
       WHERE d.run_id = ? AND d.image_id = ? ORDER BY d.id`,
    )
    .all(runId, imageId) as Array<{ id: number; outcome: DetectionOutcome }>
  return new Map(rows.map((row) => [row.id, row.outcome]))
}

/**
 * Outcome counts over a run's detections, limited to images a person reviewed when
 * `reviewedOnly` is set (the fair basis for scoring the model: elsewhere, untouched labels
 * say nothing about whether the detection was right).
 */
export function countDetectionOutcomes(db: SqliteDatabase, runId: number, reviewedOnly: boolean): DetectionOutcomeCounts {
  return outcomeCounts(
    db
      .prepare(
        `SELECT ${outcomeExpression} AS outcome, count(*) AS count
         FROM detections d LEFT JOIN annotations a ON a.detection_id = d.id
         WHERE d.run_id = @runId
           AND (@reviewedOnly = 0 OR d.image_id IN (SELECT id FROM images WHERE status = 'reviewed'))
         GROUP BY outcome`,
      )
      .all({ runId, reviewedOnly: reviewedOnly ? 1 : 0 }) as Array<{ outcome: DetectionOutcome; count: number }>,
  )
}

/** Counts from `outcome, count` rows grouped by outcome. */
export function outcomeCounts(rows: readonly { outcome: DetectionOutcome; count: number }[]): DetectionOutcomeCounts {
  const counts: DetectionOutcomeCounts = { kept: 0, moved: 0, relabelled: 0, movedAndRelabelled: 0, deleted: 0, unlabelled: 0 }
  for (const row of rows) {
    if (row.outcome === 'moved-and-relabelled') counts.movedAndRelabelled = row.count
    else counts[row.outcome] = row.count
  }
  return counts
}
