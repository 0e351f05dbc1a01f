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

/**
 * One intended change to an image's labels. A create with `detectionId` accepts that detection
 * (a suggestion) as a label: it keeps its origin, and so its score.
 */
export type LabelChange =
  | { op: 'create'; state: AnnotationState; detectionId?: number | undefined }
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
  /** The name of the editor command, e.g. "move". */
  command: string
  createdAt: string
  undone: boolean
  /** Gestures sharing a batch are undone and redone together (one step over several images). */
  batchId: number | null
  entries: EditEntry[]
}

interface GestureRow {
  id: number
  image_id: number
  command: string
  created_at: string
  undone: number
  batch_id: number | null
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
    batchId: row.batch_id,
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
 * Accepting a detection as a label. A detection has at most one label row (see the unique index
 * on annotations.detection_id): a suggestion a person deleted earlier comes back as that same
 * row, so its history stays one story.
 */
function acceptDetection(db: SqliteDatabase, imageId: number, detectionId: number, state: AnnotationState, now: string): number {
  const detection = db.prepare('SELECT image_id FROM detections WHERE id = ?').get(detectionId) as { image_id: number } | undefined
  if (!detection || detection.image_id !== imageId) {
    throw new AppError('not-found', `Image ${imageId} has no detection with id ${detectionId}.`)
  }
  const existing = db.prepare('SELECT id, deleted_at FROM annotations WHERE detection_id = ?').get(detectionId) as
    | { id: number; deleted_at: string | null }
    | undefined
  if (existing === undefined) return insertAnnotation(db, imageId, state, { origin: 'detection', detectionId }, now)
  if (existing.deleted_at === null) throw new AppError('conflict', `Detection ${detectionId} is already label ${existing.id}.`)
  writeAnnotationState(db, existing.id, state, now)
  return existing.id
}

/** Applies one change and returns its log entry. */
function applyChange(db: SqliteDatabase, imageId: number, change: LabelChange, now: string): EditEntry {
  if (change.op === 'create') {
    const after = plainState(change.state)
    checkAnnotationState(db, after)
    const annotationId =
      change.detectionId === undefined
        ? insertAnnotation(db, imageId, after, { origin: 'manual' }, now)
        : acceptDetection(db, imageId, change.detectionId, after, now)
    return { annotationId, op: 'create', before: null, after }
  }
  const before = requireLiveLabel(db, imageId, change.annotationId)
  if (change.op === 'delete') {
    softDeleteAnnotation(db, change.annotationId, now)
    return { annotationId: change.annotationId, op: 'delete', before, after: null }
  }
  const after = plainState(change.state)
  checkAnnotationState(db, after)
  writeAnnotationState(db, change.annotationId, after, now)
  return { annotationId: change.annotationId, op: 'update', before, after }
}

export interface GestureOptions {
  /** Groups this gesture with earlier ones into one undo step (their batch id: the first gesture's id). */
  batchId?: number | undefined
}

/**
 * Applies a gesture's changes to an image's labels and logs them as one undo step. Runs in the
 * caller's transaction when there is one (an import writing many images), else in its own. A
 * new gesture discards every redo step of the project, as editors do: history is one line.
 */
export function applyLabelChanges(
  db: SqliteDatabase,
  imageId: number,
  command: string,
  changes: readonly LabelChange[],
  now: string,
  options: GestureOptions = {},
): EditGesture {
  if (changes.length === 0) throw new AppError('invalid-argument', 'An edit needs at least one change.')
  if (command.trim() === '') throw new AppError('invalid-argument', 'An edit needs the name of its command.')
  const apply = () => {
    if (db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId) === undefined) {
      throw new AppError('not-found', `This project has no image with id ${imageId}.`)
    }
    db.prepare('DELETE FROM edit_gestures WHERE undone = 1').run()
    const gesture = db
      .prepare('INSERT INTO edit_gestures (image_id, command, created_at, batch_id) VALUES (?, ?, ?, ?)')
      .run(imageId, command, now, options.batchId ?? null)
    if (gesture.changes !== 1) throw new Error('The edit was not logged.')
    const gestureId = Number(gesture.lastInsertRowid)
    const logEntry = db.prepare(
      'INSERT INTO edit_log (gesture_id, annotation_id, op, before, after) VALUES (?, ?, ?, ?, ?)',
    )
    const json = (state: AnnotationState | null) => (state === null ? null : JSON.stringify(state))
    for (const change of changes) {
      const entry = applyChange(db, imageId, change, now)
      if (logEntry.run(gestureId, entry.annotationId, entry.op, json(entry.before), json(entry.after)).changes !== 1) {
        throw new Error('An edit log entry was not written.')
      }
    }
    return readGesture(db, db.prepare('SELECT * FROM edit_gestures WHERE id = ?').get(gestureId) as GestureRow)
  }
  return db.inTransaction ? apply() : db.transaction(apply).immediate()
}

function setLabelTo(db: SqliteDatabase, annotationId: number, state: AnnotationState | null, now: string): void {
  if (state === null) softDeleteAnnotation(db, annotationId, now)
  else writeAnnotationState(db, annotationId, state, now)
}

/** The gestures of one undo step: the gesture itself, or its whole batch, in id order. */
function stepOf(db: SqliteDatabase, row: GestureRow): GestureRow[] {
  if (row.batch_id === null) return [row]
  return db.prepare('SELECT * FROM edit_gestures WHERE batch_id = ? ORDER BY id').all(row.batch_id) as GestureRow[]
}

/**
 * Reverts the project's latest step that is not undone, whichever image it changed. Returns its
 * gestures (newest first, as they were reverted), or undefined when there is nothing to undo.
 */
export function undoLastEdit(db: SqliteDatabase, now: string): EditGesture[] | undefined {
  return db.transaction(() => {
    const row = db.prepare('SELECT * FROM edit_gestures WHERE undone = 0 ORDER BY id DESC LIMIT 1').get() as
      | GestureRow
      | undefined
    if (!row) return undefined
    const gestures = stepOf(db, row).reverse().map((gestureRow) => readGesture(db, gestureRow))
    for (const gesture of gestures) {
      for (const entry of [...gesture.entries].reverse()) setLabelTo(db, entry.annotationId, entry.before, now)
      if (db.prepare('UPDATE edit_gestures SET undone = 1 WHERE id = ?').run(gesture.id).changes !== 1) {
        throw new Error(`Edit ${gesture.id} was not marked undone.`)
      }
    }
    return gestures.map((gesture) => ({ ...gesture, undone: true }))
  }).immediate()
}

/** Re-applies the project's earliest undone step. Returns its gestures in order, or undefined when there is nothing to redo. */
export function redoEdit(db: SqliteDatabase, now: string): EditGesture[] | undefined {
  return db.transaction(() => {
    const row = db.prepare('SELECT * FROM edit_gestures WHERE undone = 1 ORDER BY id LIMIT 1').get() as GestureRow | undefined
    if (!row) return undefined
    const gestures = stepOf(db, row).map((gestureRow) => readGesture(db, gestureRow))
    for (const gesture of gestures) {
      for (const entry of gesture.entries) setLabelTo(db, entry.annotationId, entry.after, now)
      if (db.prepare('UPDATE edit_gestures SET undone = 0 WHERE id = ?').run(gesture.id).changes !== 1) {
        throw new Error(`Edit ${gesture.id} was not marked redone.`)
      }
    }
    return gestures.map((gesture) => ({ ...gesture, undone: false }))
  }).immediate()
}

export interface HistoryStep {
  command: string
  imageId: number
}

/** What undo and redo would do next, project-wide. */
export function peekHistory(db: SqliteDatabase): { undo: HistoryStep | null; redo: HistoryStep | null } {
  const step = (sql: string) => {
    const row = db.prepare(sql).get() as { command: string; image_id: number } | undefined
    return row ? { command: row.command, imageId: row.image_id } : null
  }
  return {
    undo: step('SELECT command, image_id FROM edit_gestures WHERE undone = 0 ORDER BY id DESC LIMIT 1'),
    redo: step('SELECT command, image_id FROM edit_gestures WHERE undone = 1 ORDER BY id LIMIT 1'),
  }
}

/** The image's edit history, oldest first; undone gestures (the redo steps) come last. */
export function listEditHistory(db: SqliteDatabase, imageId: number): EditGesture[] {
  const rows = db.prepare('SELECT * FROM edit_gestures WHERE image_id = ? ORDER BY id').all(imageId) as GestureRow[]
  return rows.map((row) => readGesture(db, row))
}
