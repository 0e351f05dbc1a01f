/**
 * What an evaluation of a run reads from a project: the images a person reviewed that the run
 * processed (optionally only those inside a folder), their current labels (deleted ones left
 * out) as ground truth, and the run's detections on them (a class merged into another read as
 * that one). Rows come ordered by image, then by id, so that ties in the evaluation are broken
 * the same way every time.
 */
import type { BoxColumns } from '../../../src-shared/geometry/box'
import type { SqliteDatabase } from './connection'

export interface EvaluationBoxRow extends BoxColumns {
  id: number
  imageId: number
  classId: number
}

export interface EvaluationDetectionRow extends EvaluationBoxRow {
  score: number
}

/** Which reviewed images an evaluation covers. */
export interface EvaluatedImagesScope {
  runId: number
  /** Only images this run finished too (two runs compared on the same images). */
  sameImagesAs?: number | undefined
  /** A folder relative to the image root ('/'-separated, no trailing '/'); '' or absent: all. */
  folder?: string | undefined
}

export interface EvaluationRows {
  /** Reviewed images (in the folder) with a completed result in the run, ascending id. */
  imageIds: number[]
  /** Reviewed images in the folder left out: no completed result in the run (or, comparing, in the other run). */
  reviewedWithoutResult: number
  labels: EvaluationBoxRow[]
  detections: EvaluationDetectionRow[]
}

/**
 * Whether image `i` lies inside @folder, matched on whole path segments ("val" holds
 * "val/a.jpg", not "validation/a.jpg"). A prefix comparison rather than LIKE: LIKE would read
 * '%' and '_' in a folder name as wildcards and ignores case in SQLite.
 */
export const IN_FOLDER = `(@folder = '' OR substr(i.path, 1, length(@folder) + 1) = @folder || '/')`

/**
 * Reviewed images the run finished, inside the folder; with @otherRunId, only those the other
 * run finished too, so that two runs are compared on the same images. Parameters @runId,
 * @otherRunId and @folder.
 */
export const EVALUATED_IMAGES = `
  SELECT i.id FROM images i
  JOIN run_images r ON r.image_id = i.id AND r.run_id = @runId AND r.state = 'done'
  WHERE i.status = 'reviewed' AND ${IN_FOLDER}
    AND (@otherRunId IS NULL OR EXISTS (
      SELECT 1 FROM run_images o WHERE o.image_id = i.id AND o.run_id = @otherRunId AND o.state = 'done'))`

export function scopeParameters(scope: EvaluatedImagesScope): { runId: number; otherRunId: number | null; folder: string } {
  return { runId: scope.runId, otherRunId: scope.sameImagesAs ?? null, folder: scope.folder ?? '' }
}

export function readEvaluationRows(db: SqliteDatabase, scope: EvaluatedImagesScope): EvaluationRows {
  const parameters = scopeParameters(scope)
  return db.transaction(() => {
    const imageIds = db.prepare(`${EVALUATED_IMAGES} ORDER BY i.id`).pluck().all(parameters) as number[]
    const reviewed = db.prepare(`SELECT count(*) FROM images i WHERE i.status = 'reviewed' AND ${IN_FOLDER}`).pluck().get({ folder: parameters.folder }) as number
    const labels = db
      .prepare(
        `SELECT a.id, a.image_id AS imageId, coalesce(c.merged_into, a.class_id) AS classId, a.x1, a.y1, a.x2, a.y2
         FROM annotations a JOIN classes c ON c.id = a.class_id
         WHERE a.deleted_at IS NULL AND a.image_id IN (${EVALUATED_IMAGES})
         ORDER BY a.image_id, a.id`,
      )
      .all(parameters) as EvaluationBoxRow[]
    const detections = db
      .prepare(
        `SELECT d.id, d.image_id AS imageId, coalesce(c.merged_into, d.class_id) AS classId, d.score, d.x1, d.y1, d.x2, d.y2
         FROM detections d JOIN classes c ON c.id = d.class_id
         WHERE d.run_id = @runId AND d.image_id IN (${EVALUATED_IMAGES})
         ORDER BY d.image_id, d.id`,
      )
      .all(parameters) as EvaluationDetectionRow[]
    return { imageIds, reviewedWithoutResult: reviewed - imageIds.length, labels, detections }
  })()
}

/** One image's current labels and a run's detections on it, as an evaluation reads them. */
export interface ImageEvaluationRows {
  reviewed: boolean
  /** The run finished the image. */
  hasResult: boolean
  labels: EvaluationBoxRow[]
  detections: EvaluationDetectionRow[]
}

/** Undefined when the project has no such image. */
export function readImageEvaluationRows(db: SqliteDatabase, runId: number, imageId: number): ImageEvaluationRows | undefined {
  return db.transaction(() => {
    const status = db.prepare('SELECT status FROM images WHERE id = ?').pluck().get(imageId) as string | undefined
    if (status === undefined) return undefined
    const state = db.prepare('SELECT state FROM run_images WHERE run_id = ? AND image_id = ?').pluck().get(runId, imageId) as string | undefined
    const labels = db
      .prepare(
        `SELECT a.id, a.image_id AS imageId, coalesce(c.merged_into, a.class_id) AS classId, a.x1, a.y1, a.x2, a.y2
         FROM annotations a JOIN classes c ON c.id = a.class_id
         WHERE a.deleted_at IS NULL AND a.image_id = ? ORDER BY a.id`,
      )
      .all(imageId) as EvaluationBoxRow[]
    const detections = db
      .prepare(
        `SELECT d.id, d.image_id AS imageId, coalesce(c.merged_into, d.class_id) AS classId, d.score, d.x1, d.y1, d.x2, d.y2
         FROM detections d JOIN classes c ON c.id = d.class_id
         WHERE d.run_id = ? AND d.image_id = ? ORDER BY d.id`,
      )
      .all(runId, imageId) as EvaluationDetectionRow[]
    return { reviewed: status === 'reviewed', hasResult: state === 'done', labels, detections }
  })()
}

/** The relative paths of the images a person reviewed. */
export function readReviewedPaths(db: SqliteDatabase): string[] {
  return db.prepare(`SELECT path FROM images WHERE status = 'reviewed'`).pluck().all() as string[]
}

/** The relative paths of the given images, by id. */
export function readImagePaths(db: SqliteDatabase, imageIds: readonly number[]): Map<number, string> {
  const read = db.prepare('SELECT path FROM images WHERE id = ?').pluck()
  return new Map(imageIds.map((id) => [id, read.get(id) as string]))
}

/**
 * A stamp that changes whenever the project's data may have: `data_version` moves with every
 * commit by another connection (a detection worker), `total_changes()` with every row this
 * connection wrote. Equal stamps on the same connection mean nothing was written in between.
 */
export function readDataStamp(db: SqliteDatabase): string {
  const version = db.pragma('data_version', { simple: true }) as number
  const changes = db.prepare('SELECT total_changes()').pluck().get() as number
  return `${version}:${changes}`
}
