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
import { cachedStatement } from './statement-cache'

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
  /** The window that made it; null for steps any window may undo (see migration 6). */
  editorId: string | null
  entries: EditEntry[]
}

interface GestureRow {
  id: number
  image_id: number
  command: string
  created_at: string
  undone: number
  batch_id: number | null
  editor_id: string | null
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
  const entries = cachedStatement(db, 'SELECT annotation_id, op, before, after FROM edit_log WHERE gesture_id = ? ORDER BY id').all(row.id) as EntryRow[]
  return {
    id: row.id,
    imageId: row.image_id,
    command: row.command,
    createdAt: row.created_at,
    undone: row.undone === 1,
    batchId: row.batch_id,
    editorId: row.editor_id,
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
    throw new AppError('not-found', { key: 'edit.labelNotFound', values: { imageId, labelId: annotationId } })
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
  /** The window making the edit; left out by callers that are no window (the CLI, scripts). */
  editorId?: string | undefined
}

/**
 * The steps a caller may undo and redo: a window's own, and those made without a window (older
 * files, imports, the CLI), which any window may undo as every step could before. A caller
 * without an identity reaches only the latter. Steps refused once for a conflict are left out.
 * Binds `@editor`.
 */
const REACHABLE = '(editor_id IS @editor OR editor_id IS NULL) AND superseded_at IS NULL'

/**
 * Applies a gesture's changes to an image's labels and logs them as one undo step. Runs in the
 * caller's transaction when there is one (an import writing many images), else in its own. A new
 * gesture discards the caller's redo steps, as editors do: each window's history is one line,
 * and another window's redo steps stay (their redo is refused if this edit changed their labels).
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
      throw new AppError('not-found', { key: 'image.notFound', values: { imageId } })
    }
    const editor = options.editorId ?? null
    db.prepare(`DELETE FROM edit_gestures WHERE undone = 1 AND (editor_id IS @editor OR editor_id IS NULL)`).run({ editor })
    const gesture = db
      .prepare('INSERT INTO edit_gestures (image_id, command, created_at, batch_id, editor_id) VALUES (?, ?, ?, ?, ?)')
      .run(imageId, command, now, options.batchId ?? null, editor)
    if (gesture.changes !== 1) throw new Error('The edit was not logged.')
    const gestureId = Number(gesture.lastInsertRowid)
    const logEntry = cachedStatement(db, 'INSERT INTO edit_log (gesture_id, annotation_id, op, before, after) VALUES (?, ?, ?, ?, ?)')
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

function sameState(a: AnnotationState | null, b: AnnotationState | null): boolean {
  if (a === null || b === null) return a === b
  return a.classId === b.classId && a.box.every((value, index) => value === b.box[index])
}

/** A label's state now: null when it is deleted. */
function currentState(db: SqliteDatabase, annotationId: number): AnnotationState | null {
  const found = findAnnotationRow(db, annotationId)
  return !found || found.deleted ? null : { classId: found.record.classId, box: found.record.box }
}

/**
 * The first label of a step that no longer is as the step left it (`after`, for an undo) or found
 * it (`before`, for a redo): someone changed it since, and reverting would overwrite that.
 */
function changedSince(db: SqliteDatabase, gestures: readonly EditGesture[], side: 'before' | 'after'): number | undefined {
  const expected = new Map<number, AnnotationState | null>()
  for (const gesture of [...gestures].sort((a, b) => a.id - b.id)) {
    for (const entry of gesture.entries) {
      // An undo finds each label as the step's last change left it; a redo as its first found it.
      if (side === 'after' || !expected.has(entry.annotationId)) expected.set(entry.annotationId, entry[side])
    }
  }
  for (const [annotationId, state] of expected) {
    if (!sameState(currentState(db, annotationId), state)) return annotationId
  }
  return undefined
}

type StepAttempt = { done: EditGesture[] } | { conflict: { command: string; annotationId: number } } | undefined

/**
 * One undo or redo: the caller's latest step to undo (or earliest to redo), reverted or re-applied
 * in one transaction. A step whose labels were changed since by someone else is not applied: it
 * leaves the caller's history (committed), and the caller gets a conflict error saying why.
 */
function takeStep(db: SqliteDatabase, direction: 'undo' | 'redo', now: string, editorId: string | undefined): EditGesture[] | undefined {
  const attempt = db.transaction((): StepAttempt => {
    const sql =
      direction === 'undo'
        ? `SELECT * FROM edit_gestures WHERE undone = 0 AND ${REACHABLE} ORDER BY id DESC LIMIT 1`
        : `SELECT * FROM edit_gestures WHERE undone = 1 AND ${REACHABLE} ORDER BY id LIMIT 1`
    const row = db.prepare(sql).get({ editor: editorId ?? null }) as GestureRow | undefined
    if (!row) return undefined
    const rows = direction === 'undo' ? stepOf(db, row).reverse() : stepOf(db, row)
    const gestures = rows.map((gestureRow) => readGesture(db, gestureRow))
    const conflicting = changedSince(db, gestures, direction === 'undo' ? 'after' : 'before')
    if (conflicting !== undefined) {
      const supersede = db.prepare('UPDATE edit_gestures SET superseded_at = ? WHERE id = ?')
      for (const gesture of gestures) supersede.run(now, gesture.id)
      return { conflict: { command: row.command, annotationId: conflicting } }
    }
    for (const gesture of gestures) {
      const entries = direction === 'undo' ? [...gesture.entries].reverse() : gesture.entries
      for (const entry of entries) setLabelTo(db, entry.annotationId, direction === 'undo' ? entry.before : entry.after, now)
      if (cachedStatement(db, 'UPDATE edit_gestures SET undone = ? WHERE id = ?').run(direction === 'undo' ? 1 : 0, gesture.id).changes !== 1) {
        throw new Error(`Edit ${gesture.id} was not marked ${direction === 'undo' ? 'undone' : 'redone'}.`)
      }
    }
    return { done: gestures.map((gesture) => ({ ...gesture, undone: direction === 'undo' })) }
  }).immediate()
  if (attempt === undefined) return undefined
  if ('conflict' in attempt) {
    const { command, annotationId } = attempt.conflict
    throw new AppError('conflict', { key: direction === 'undo' ? 'edit.undoConflict' : 'edit.redoConflict', values: { command, labelId: annotationId } })
  }
  return attempt.done
}

/**
 * Reverts the caller's latest step that is not undone, whichever image it changed. Returns its
 * gestures (newest first, as they were reverted), or undefined when there is nothing to undo.
 * Throws a conflict error when another window changed the step's labels since.
 */
export function undoLastEdit(db: SqliteDatabase, now: string, editorId?: string): EditGesture[] | undefined {
  return takeStep(db, 'undo', now, editorId)
}

/** Re-applies the caller's earliest undone step. Returns its gestures in order, or undefined when there is nothing to redo. */
export function redoEdit(db: SqliteDatabase, now: string, editorId?: string): EditGesture[] | undefined {
  return takeStep(db, 'redo', now, editorId)
}

export interface HistoryStep {
  command: string
  imageId: number
}

/** What undo and redo would do next for this caller (a window's identity; see REACHABLE). */
export function peekHistory(db: SqliteDatabase, editorId?: string): { undo: HistoryStep | null; redo: HistoryStep | null } {
  const step = (sql: string) => {
    const row = db.prepare(sql).get({ editor: editorId ?? null }) as { command: string; image_id: number } | undefined
    return row ? { command: row.command, imageId: row.image_id } : null
  }
  return {
    undo: step(`SELECT command, image_id FROM edit_gestures WHERE undone = 0 AND ${REACHABLE} ORDER BY id DESC LIMIT 1`),
    redo: step(`SELECT command, image_id FROM edit_gestures WHERE undone = 1 AND ${REACHABLE} ORDER BY id LIMIT 1`),
  }
}

/** The image's edit history, oldest first; undone gestures (the redo steps) come last. */
export function listEditHistory(db: SqliteDatabase, imageId: number): EditGesture[] {
  const rows = db.prepare('SELECT * FROM edit_gestures WHERE image_id = ? ORDER BY id').all(imageId) as GestureRow[]
  return rows.map((row) => readGesture(db, row))
}
