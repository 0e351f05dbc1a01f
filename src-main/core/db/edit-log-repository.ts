import { AppError } from '../errors'
import {
  type AnnotationState,
  checkAnnotationState,
  findAnnotationRow,
  insertAnnotation,
  softDeleteAnnotation,
  writeAnnotationState,
} from './annotations-repository'
import type { SqliteDatabase } from './connection'

/** One intended change to an image's labels. */
export type LabelChange =
  | { op: 'create'; state: AnnotationState }
  | { op: 'update'; annotationId: number; state: AnnotationState }
  | { op: 'delete'; annotationId: number }

/** What one change did: the label's state before and after (null = absent or deleted). */
export interface EditEntry {
  annotationId: number
  op: LabelChange['op']
  before: AnnotationState | null
  after: AnnotationState | null
}

/** One undo step: everything a single user gesture (a drag, a delete of a selection, …) changed. */
export interface EditGesture {
  id: number
  imageId: number
  /** The name of the editor command, e.g. "move box". */
  command: string
  createdAt: string
  undone: boolean
  entries: EditEntry[]
}

interface GestureRow {
  id: number
  image_id: number
  command: string
  created_at: string
  undone: number
}

interface EntryRow {
  annotation_id: number
  op: EditEntry['op']
  before: string | null
  after: string | null
}

function parseState(json: string | null): AnnotationState | null {
  return json === null ? null : (JSON.parse(json) as AnnotationState)
}

function readGesture(db: SqliteDatabase, row: GestureRow): EditGesture {
  const entries = db
    .prepare('SELECT annotation_id, op, before, after FROM edit_log WHERE gesture_id = ? ORDER BY id')
    .all(row.id) as EntryRow[]
  return {
    id: row.id,
    imageId: row.image_id,
    command: row.command,
    createdAt: row.created_at,
    undone: row.undone === 1,
    entries: entries.map((entry) => ({
      annotationId: entry.annotation_id,
      op: entry.op,
      before: parseState(entry.before),
      after: parseState(entry.after),
    })),
  }
}

function requireLiveLabel(db: SqliteDatabase, imageId: number, annotationId: number): AnnotationState {
  const found = findAnnotationRow(db, annotationId)
  if (!found || found.deleted || found.record.imageId !== imageId) {
    throw new AppError('not-found', `Image ${imageId} has no label with id ${annotationId}.`)
  }
  return { classId: found.record.classId, box: found.record.box }
}

/** Only the fields of the edit log's plain-data form, whatever else the caller's object holds. */
function plainState(state: AnnotationState): AnnotationState {
  const [x1, y1, x2, y2] = state.box
  return { classId: state.classId, box: [x1, y1, x2, y2] }
}

/**
 * Applies a gesture's changes to an image's labels and logs them as one undo step, in one
 * transaction. A new gesture discards the image's redo steps, as editors do.
 */
export function applyLabelChanges(
  db: SqliteDatabase,
  imageId: number,
  command: string,
  changes: readonly LabelChange[],
  now: string,
): EditGesture {
  if (changes.length === 0) throw new AppError('invalid-argument', 'An edit needs at least one change.')
  if (command.trim() === '') throw new AppError('invalid-argument', 'An edit needs the name of its command.')
  return db.transaction(() => {
    if (db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId) === undefined) {
      throw new AppError('not-found', `This project has no image with id ${imageId}.`)
    }
    db.prepare('DELETE FROM edit_gestures WHERE image_id = ? AND undone = 1').run(imageId)
    const gesture = db
      .prepare('INSERT INTO edit_gestures (image_id, command, created_at) VALUES (?, ?, ?)')
      .run(imageId, command, now)
    if (gesture.changes !== 1) throw new Error('The edit was not logged.')
    const gestureId = Number(gesture.lastInsertRowid)
    const logEntry = db.prepare(
      'INSERT INTO edit_log (gesture_id, annotation_id, op, before, after) VALUES (?, ?, ?, ?, ?)',
    )
    for (const change of changes) {
      let annotationId: number
      let before: AnnotationState | null = null
      let after: AnnotationState | null = null
      if (change.op === 'create') {
        after = plainState(change.state)
        checkAnnotationState(db, after)
        annotationId = insertAnnotation(db, imageId, after, 'manual', now)
      } else {
        annotationId = change.annotationId
        before = requireLiveLabel(db, imageId, annotationId)
        if (change.op === 'update') {
          after = plainState(change.state)
          checkAnnotationState(db, after)
          writeAnnotationState(db, annotationId, after, now)
        } else {
          softDeleteAnnotation(db, annotationId, now)
        }
      }
      const json = (state: AnnotationState | null) => (state === null ? null : JSON.stringify(state))
      if (logEntry.run(gestureId, annotationId, change.op, json(before), json(after)).changes !== 1) {
        throw new Error('An edit log entry was not written.')
      }
    }
    return readGesture(db, db.prepare('SELECT * FROM edit_gestures WHERE id = ?').get(gestureId) as GestureRow)
  }).immediate()
}

function setLabelTo(db: SqliteDatabase, annotationId: number, state: AnnotationState | null, now: string): void {
  if (state === null) softDeleteAnnotation(db, annotationId, now)
  else writeAnnotationState(db, annotationId, state, now)
}

/** Reverts the image's latest gesture that is not undone. Returns it, or undefined when there is nothing to undo. */
export function undoLastEdit(db: SqliteDatabase, imageId: number, now: string): EditGesture | undefined {
  return db.transaction(() => {
    const row = db
      .prepare('SELECT * FROM edit_gestures WHERE image_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1')
      .get(imageId) as GestureRow | undefined
    if (!row) return undefined
    const gesture = readGesture(db, row)
    for (const entry of [...gesture.entries].reverse()) setLabelTo(db, entry.annotationId, entry.before, now)
    if (db.prepare('UPDATE edit_gestures SET undone = 1 WHERE id = ?').run(row.id).changes !== 1) {
      throw new Error(`Edit ${row.id} was not marked undone.`)
    }
    return { ...gesture, undone: true }
  }).immediate()
}

/** Re-applies the image's earliest undone gesture. Returns it, or undefined when there is nothing to redo. */
export function redoEdit(db: SqliteDatabase, imageId: number, now: string): EditGesture | undefined {
  return db.transaction(() => {
    const row = db
      .prepare('SELECT * FROM edit_gestures WHERE image_id = ? AND undone = 1 ORDER BY id LIMIT 1')
      .get(imageId) as GestureRow | undefined
    if (!row) return undefined
    const gesture = readGesture(db, row)
    for (const entry of gesture.entries) setLabelTo(db, entry.annotationId, entry.after, now)
    if (db.prepare('UPDATE edit_gestures SET undone = 0 WHERE id = ?').run(row.id).changes !== 1) {
      throw new Error(`Edit ${row.id} was not marked redone.`)
    }
    return { ...gesture, undone: false }
  }).immediate()
}

/** The image's edit history, oldest first; undone gestures (the redo steps) come last. */
export function listEditHistory(db: SqliteDatabase, imageId: number): EditGesture[] {
  const rows = db.prepare('SELECT * FROM edit_gestures WHERE image_id = ? ORDER BY id').all(imageId) as GestureRow[]
  return rows.map((row) => readGesture(db, row))
}
