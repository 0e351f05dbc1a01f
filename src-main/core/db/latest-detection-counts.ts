import type { SqliteDatabase } from './connection'

/*
 * What the project "has detected" right now: for each image, the detections of the newest run
 * that finished it without error. Older runs of the same image are history, not current results,
 * so counting every run would count an image twice after a second run.
 */
const latestResults = `
  SELECT r.run_id, r.image_id, r.detection_count FROM run_images r
  WHERE r.state = 'done'
    AND r.run_id = (SELECT max(r2.run_id) FROM run_images r2 WHERE r2.image_id = r.image_id AND r2.state = 'done')`

/** Detections in the latest finished result of every image. */
export function countLatestDetections(db: SqliteDatabase): number {
  return db.prepare(`SELECT coalesce(sum(detection_count), 0) FROM (${latestResults})`).pluck().get() as number
}

/** The same, per class id; classes without detections are left out. */
export function countLatestDetectionsByClass(db: SqliteDatabase): Map<number, number> {
  const rows = db
    .prepare(
      `SELECT d.class_id AS classId, count(*) AS count
       FROM (${latestResults}) latest
       JOIN detections d ON d.run_id = latest.run_id AND d.image_id = latest.image_id
       GROUP BY d.class_id`,
    )
    .all() as Array<{ classId: number; count: number }>
  return new Map(rows.map((row) => [row.classId, row.count]))
}
