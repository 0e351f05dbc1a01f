import { AppError } from '../errors'
import type { SqliteDatabase } from './connection'
import { cachedStatement } from './statement-cache'

export type AnnotationOrigin = 'detection' | 'manual' | 'import'

/** The editable part of a label: plain data, also the form kept in the edit log. */
export interface AnnotationState {
  classId: number
  /** [x1, y1, x2, y2] in pixels of the displayed (EXIF-oriented) image. */
  box: [number, number, number, number]
}

export interface AnnotationRecord extends AnnotationState {
  id: number
  imageId: number
  origin: AnnotationOrigin
  /** The detection this label started from; null for manual or imported labels, or once that run is deleted. */
  detectionId: number | null
  createdAt: string
  updatedAt: string
}

interface AnnotationRow {
  id: number
  image_id: number
  class_id: number
  x1: number
  y1: number
  x2: number
  y2: number
  origin: AnnotationOrigin
  detection_id: number | null
  created_at: string
  updated_at: string
  deleted_at: string | null
}

function toRecord(row: AnnotationRow): AnnotationRecord {
  return {
    id: row.id,
    imageId: row.image_id,
    classId: row.class_id,
    box: [row.x1, row.y1, row.x2, row.y2],
    origin: row.origin,
    detectionId: row.detection_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The current labels of an image (deleted ones left out), in creation order. */
export function listAnnotations(db: SqliteDatabase, imageId: number): AnnotationRecord[] {
  const rows = db
    .prepare('SELECT * FROM annotations WHERE image_id = ? AND deleted_at IS NULL ORDER BY id')
    .all(imageId) as AnnotationRow[]
  return rows.map(toRecord)
}

/** An annotation row whether deleted or not, with its deletion state; for the edit log. */
export function findAnnotationRow(
  db: SqliteDatabase,
  id: number,
): { record: AnnotationRecord; deleted: boolean } | undefined {
  const row = db.prepare('SELECT * FROM annotations WHERE id = ?').get(id) as AnnotationRow | undefined
  return row ? { record: toRecord(row), deleted: row.deleted_at !== null } : undefined
}

/** Checks a box and class before they reach the database, with a message a person can act on. */
export function checkAnnotationState(db: SqliteDatabase, state: AnnotationState): void {
  const [x1, y1, x2, y2] = state.box
  if (![x1, y1, x2, y2].every(Number.isFinite) || x2 < x1 || y2 < y1) {
    throw new AppError('invalid-argument', `[${state.box.join(', ')}] is not a box: expected [x1, y1, x2, y2] with x1 ≤ x2 and y1 ≤ y2.`)
  }
  if (db.prepare('SELECT 1 FROM classes WHERE id = ?').get(state.classId) === undefined) {
    throw new AppError('not-found', `This project has no class with id ${state.classId}.`)
  }
}

export function insertAnnotation(
  db: SqliteDatabase,
  imageId: number,
  state: AnnotationState,
  origin: 'manual' | 'import',
  now: string,
): number {
  const [x1, y1, x2, y2] = state.box
  const result = db
    .prepare(
      `INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(imageId, state.classId, x1, y1, x2, y2, origin, now, now)
  if (result.changes !== 1) throw new Error(`A label of image ${imageId} was not written.`)
  return Number(result.lastInsertRowid)
}

/** Sets a label's class and box, undeleting it if needed (redo of a create, undo of a delete). */
export function writeAnnotationState(db: SqliteDatabase, id: number, state: AnnotationState, now: string): void {
  const [x1, y1, x2, y2] = state.box
  const result = db
    .prepare(
      `UPDATE annotations SET class_id = ?, x1 = ?, y1 = ?, x2 = ?, y2 = ?, deleted_at = NULL, updated_at = ?
       WHERE id = ?`,
    )
    .run(state.classId, x1, y1, x2, y2, now, id)
  if (result.changes !== 1) throw new Error(`Label ${id} was not updated.`)
}

/** Marks a label deleted; the row stays so undo can restore it and scoring can see the rejection. */
export function softDeleteAnnotation(db: SqliteDatabase, id: number, now: string): void {
  const result = db.prepare('UPDATE annotations SET deleted_at = ?, updated_at = ? WHERE id = ?').run(now, now, id)
  if (result.changes !== 1) throw new Error(`Label ${id} was not deleted.`)
}

/**
 * Whether a person has had a hand in this image's labels: it is marked reviewed, it has an
 * edit in its log (even an undone one), or it has a label that is not straight model output
 * (drawn by hand or imported).
 */
export function isImageTouchedByPerson(db: SqliteDatabase, imageId: number): boolean {
  const touched = cachedStatement(
    db,
    `SELECT EXISTS (SELECT 1 FROM images WHERE id = @imageId AND status = 'reviewed')
         OR EXISTS (SELECT 1 FROM edit_gestures WHERE image_id = @imageId)
         OR EXISTS (SELECT 1 FROM annotations WHERE image_id = @imageId AND origin <> 'detection') AS touched`,
  ).get({ imageId }) as { touched: number }
  return touched.touched === 1
}

export type DetectionLabelOutcome = 'replaced' | 'kept-person-labels'

/**
 * Rebuilds an image's labels from a run's detections scoring at least `minScore`, but only
 * while no person has touched the image (see isImageTouchedByPerson); otherwise the labels
 * are left exactly as they are. A rerun therefore never overwrites a correction. Called in
 * the transaction that writes the image's detections (recordImageResults).
 */
export function replaceDetectionAnnotations(
  db: SqliteDatabase,
  imageId: number,
  runId: number,
  minScore: number,
  now: string,
): DetectionLabelOutcome {
  const replace = (): DetectionLabelOutcome => {
    if (isImageTouchedByPerson(db, imageId)) return 'kept-person-labels'
    // Untouched means every label here is unedited model output, referenced by no edit log entry.
    cachedStatement(db, 'DELETE FROM annotations WHERE image_id = ?').run(imageId)
    cachedStatement(
      db,
      `INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, detection_id, created_at, updated_at)
       SELECT image_id, class_id, x1, y1, x2, y2, 'detection', id, @now, @now FROM detections
       WHERE run_id = @runId AND image_id = @imageId AND score >= @minScore
       ORDER BY score DESC, id`,
    ).run({ imageId, runId, minScore, now })
    return 'replaced'
  }
  // Inside recordImageResults' transaction already; on its own it needs one of its own.
  return db.inTransaction ? replace() : db.transaction(replace)()
}
