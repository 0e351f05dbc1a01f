import { type BoxColumns, boxFromColumns, MIN_LABEL_SIZE } from '../../../src-shared/geometry/box'
import { AppError } from '../errors'
import type { SqliteDatabase } from './connection'
import type { ClassThresholds } from './label-thresholds-repository'
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
  /** That detection's score, while the detection exists. */
  score: number | null
  /** For imported labels: the file they came from. */
  source: string | null
  createdAt: string
  updatedAt: string
}

interface AnnotationRow extends BoxColumns {
  id: number
  image_id: number
  class_id: number
  origin: AnnotationOrigin
  detection_id: number | null
  score: number | null
  source: string | null
  created_at: string
  updated_at: string
  deleted_at: string | null
}

/** Every annotation column plus the score of the detection it came from. */
const SELECT_ANNOTATION = `SELECT a.*, d.score FROM annotations a LEFT JOIN detections d ON d.id = a.detection_id`

function toRecord(row: AnnotationRow): AnnotationRecord {
  return {
    id: row.id,
    imageId: row.image_id,
    classId: row.class_id,
    box: boxFromColumns(row),
    origin: row.origin,
    detectionId: row.detection_id,
    score: row.score,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The current labels of an image (deleted ones left out), in creation order. */
/** The image's labels in id order; the first `limit` of them when it is given. */
export function listAnnotations(db: SqliteDatabase, imageId: number, limit = -1): AnnotationRecord[] {
  const rows = db
    .prepare(`${SELECT_ANNOTATION} WHERE a.image_id = ? AND a.deleted_at IS NULL ORDER BY a.id LIMIT ?`)
    .all(imageId, limit) as AnnotationRow[]
  return rows.map(toRecord)
}

/** An annotation row whether deleted or not, with its deletion state; for the edit log. */
export function findAnnotationRow(
  db: SqliteDatabase,
  id: number,
): { record: AnnotationRecord; deleted: boolean } | undefined {
  const row = cachedStatement(db, `${SELECT_ANNOTATION} WHERE a.id = ?`).get(id) as AnnotationRow | undefined
  return row ? { record: toRecord(row), deleted: row.deleted_at !== null } : undefined
}

/** Checks a box and class before they reach the database, with a message a person can act on. */
export function checkAnnotationState(db: SqliteDatabase, state: AnnotationState): void {
  const [x1, y1, x2, y2] = state.box
  if (![x1, y1, x2, y2].every(Number.isFinite) || x2 < x1 || y2 < y1) {
    throw new AppError('invalid-argument', `[${state.box.join(', ')}] is not a box: expected [x1, y1, x2, y2] with x1 ≤ x2 and y1 ≤ y2.`)
  }
  const merged = cachedStatement(db, 'SELECT merged_into FROM classes WHERE id = ?').get(state.classId) as
    | { merged_into: number | null }
    | undefined
  if (merged === undefined) throw new AppError('not-found', { key: 'class.notFound', values: { classId: state.classId } })
  if (merged.merged_into !== null) {
    throw new AppError('conflict', { key: 'class.mergedInto', values: { classId: state.classId, intoClassId: merged.merged_into } })
  }
}

/** Where a new label comes from: drawn by hand, imported from a file, or a detection accepted as it stands. */
export type NewAnnotationOrigin =
  | { origin: 'manual' }
  | { origin: 'import'; source: string }
  | { origin: 'detection'; detectionId: number }

export function insertAnnotation(
  db: SqliteDatabase,
  imageId: number,
  state: AnnotationState,
  from: NewAnnotationOrigin,
  now: string,
): number {
  const [x1, y1, x2, y2] = state.box
  const detectionId = from.origin === 'detection' ? from.detectionId : null
  const source = from.origin === 'import' ? from.source : null
  const result = cachedStatement(
    db,
    `INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, detection_id, source, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(imageId, state.classId, x1, y1, x2, y2, from.origin, detectionId, source, now, now)
  if (result.changes !== 1) throw new Error(`A label of image ${imageId} was not written.`)
  return Number(result.lastInsertRowid)
}

/** Sets a label's class and box, undeleting it if needed (redo of a create, undo of a delete). */
export function writeAnnotationState(db: SqliteDatabase, id: number, state: AnnotationState, now: string): void {
  const [x1, y1, x2, y2] = state.box
  const result = cachedStatement(
    db,
    `UPDATE annotations SET class_id = ?, x1 = ?, y1 = ?, x2 = ?, y2 = ?, deleted_at = NULL, updated_at = ?
     WHERE id = ?`,
  ).run(state.classId, x1, y1, x2, y2, now, id)
  if (result.changes !== 1) throw new Error(`Label ${id} was not updated.`)
}

/** Marks a label deleted; the row stays so undo can restore it and scoring can see the rejection. */
export function softDeleteAnnotation(db: SqliteDatabase, id: number, now: string): void {
  const result = cachedStatement(db, 'UPDATE annotations SET deleted_at = ?, updated_at = ? WHERE id = ?').run(now, now, id)
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

interface DerivedLabelRow extends BoxColumns {
  id: number
  class_id: number
}

/** Per-class thresholds as a JSON object for json_each: {"<class id>": score}. */
function perClassJson(thresholds: ClassThresholds): string {
  return JSON.stringify(Object.fromEntries(thresholds.perClass))
}

/**
 * The detections of a run on an image that pass the label thresholds, best first, each with
 * its class as the project sees it now (a merged class read as the class it went into).
 * Degenerate boxes (a detection clipped to a line at the image edge) never become labels.
 */
function detectionsPassing(db: SqliteDatabase, imageId: number, runId: number, thresholds: ClassThresholds): DerivedLabelRow[] {
  return cachedStatement(
    db,
    `SELECT d.id, coalesce(c.merged_into, d.class_id) AS class_id, d.x1, d.y1, d.x2, d.y2
     FROM detections d JOIN classes c ON c.id = d.class_id
     WHERE d.run_id = @runId AND d.image_id = @imageId
       AND d.x2 - d.x1 >= ${MIN_LABEL_SIZE} AND d.y2 - d.y1 >= ${MIN_LABEL_SIZE}
       AND d.score >= coalesce(
         (SELECT value FROM json_each(@perClass) WHERE key = CAST(coalesce(c.merged_into, d.class_id) AS TEXT)), @score)
     ORDER BY d.score DESC, d.id`,
  ).all({ imageId, runId, score: thresholds.score, perClass: perClassJson(thresholds) }) as DerivedLabelRow[]
}

/**
 * Makes an untouched image's labels the run's detections that pass the thresholds. Returns
 * whether they changed; an image whose labels are already exactly those is not written.
 * The caller has checked the image is untouched, so every label here is unedited model output
 * that no edit log entry refers to.
 */
export function deriveUntouchedLabels(
  db: SqliteDatabase,
  imageId: number,
  runId: number,
  thresholds: ClassThresholds,
  now: string,
): boolean {
  const wanted = detectionsPassing(db, imageId, runId, thresholds)
  const current = cachedStatement(db, 'SELECT detection_id FROM annotations WHERE image_id = ? ORDER BY id')
    .pluck()
    .all(imageId) as Array<number | null>
  if (current.length === wanted.length && wanted.every((row, index) => current[index] === row.id)) return false
  cachedStatement(db, 'DELETE FROM annotations WHERE image_id = ?').run(imageId)
  const insert = cachedStatement(
    db,
    `INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, detection_id, created_at, updated_at)
     VALUES (@imageId, @classId, @x1, @y1, @x2, @y2, 'detection', @detectionId, @now, @now)`,
  )
  for (const row of wanted) {
    insert.run({ imageId, classId: row.class_id, x1: row.x1, y1: row.y1, x2: row.x2, y2: row.y2, detectionId: row.id, now })
  }
  return true
}

/**
 * Rebuilds an image's labels from a run's detections that pass the label thresholds, but only
 * while no person has touched the image (see isImageTouchedByPerson); otherwise the labels
 * are left exactly as they are. A rerun therefore never overwrites a correction. Called in
 * the transaction that writes the image's detections (recordImageResults).
 */
export function replaceDetectionAnnotations(
  db: SqliteDatabase,
  imageId: number,
  runId: number,
  thresholds: ClassThresholds,
  now: string,
): DetectionLabelOutcome {
  const replace = (): DetectionLabelOutcome => {
    if (isImageTouchedByPerson(db, imageId)) return 'kept-person-labels'
    deriveUntouchedLabels(db, imageId, runId, thresholds, now)
    return 'replaced'
  }
  // Inside recordImageResults' transaction already; on its own it needs one of its own.
  return db.inTransaction ? replace() : db.transaction(replace)()
}

/** How many labels an image has (deleted ones left out). */
export function countImageLabels(db: SqliteDatabase, imageId: number): number {
  return cachedStatement(db, 'SELECT count(*) FROM annotations WHERE image_id = ? AND deleted_at IS NULL').pluck().get(imageId) as number
}
