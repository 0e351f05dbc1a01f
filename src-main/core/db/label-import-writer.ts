/**
 * Writes an import's labels in one transaction, as one undo step: one edit_gestures row per
 * changed image, all sharing one batch id (undone and redone together), with an edit_log entry per
 * created or removed label in the same plain-data form the editor logs. Nothing is written
 * unless everything is.
 */
import { type Box, type BoxColumns, boxFromColumns } from '../../../src-shared/geometry/box'
import { AppError } from '../errors'
import { isImageTouchedByPerson } from './annotations-repository'
import { ensureClassesByName } from './classes-repository'
import type { SqliteDatabase } from './connection'
import { cachedStatement } from './statement-cache'

export const IMPORT_COMMAND = 'import labels'

export interface LabelImportEntry {
  imageId: number
  boxes: Array<{ className: string; box: Box }>
  /** The file these labels came from. */
  source: string
}

export interface LabelImportWriteOptions {
  /** add: keep existing labels; replace: an untouched image's labels give way to the imported ones. */
  mode: 'add' | 'replace'
  markReviewed: boolean
  /** Create classes the project lacks; without it an unknown class name is refused. */
  addClasses: boolean
  /** New class names in the order to create them (a file's class order), before any other new name. */
  classOrder?: readonly string[]
  now: string
}

export interface LabelImportWriteResult {
  batchId: number | null
  /** The images whose labels changed, in the order written. */
  changedImageIds: number[]
  imagesChanged: number
  labelsCreated: number
  labelsRemoved: number
  /** Replace mode: images a person touched, left as they were. */
  imagesKeptTouched: number
  /** Add mode: imported boxes identical to a label the image already has. */
  duplicatesSkipped: number
  imagesMarkedReviewed: number
  classesCreated: string[]
}

/** Class id for each name: merged-away classes resolve to the class they were merged into. */
export function findClassIdsByName(db: SqliteDatabase): Map<string, number> {
  const rows = db.prepare('SELECT name, coalesce(merged_into, id) AS id FROM classes').all() as Array<{ name: string; id: number }>
  return new Map(rows.map((row) => [row.name, row.id]))
}

const sameBox = (a: readonly number[], b: readonly number[]) => a.every((value, index) => Math.abs(value - b[index]!) < 1e-6)

export function writeLabelImport(db: SqliteDatabase, entries: readonly LabelImportEntry[], options: LabelImportWriteOptions): LabelImportWriteResult {
  return db.transaction((): LabelImportWriteResult => {
    const classIds = findClassIdsByName(db)
    const used = entries.flatMap((entry) => entry.boxes.map((box) => box.className))
    const unknown = [...new Set([...(options.classOrder ?? []), ...used])].filter((name) => !classIds.has(name))
    if (unknown.length > 0 && !options.addClasses) {
      throw new AppError('invalid-argument', `The project has no class named ${unknown.map((name) => `"${name}"`).join(', ')}; allow new classes to create them.`)
    }
    for (const [name, id] of ensureClassesByName(db, unknown, options.now)) classIds.set(name, id)

    const result: LabelImportWriteResult = {
      batchId: null,
      changedImageIds: [],
      imagesChanged: 0,
      labelsCreated: 0,
      labelsRemoved: 0,
      imagesKeptTouched: 0,
      duplicatesSkipped: 0,
      imagesMarkedReviewed: 0,
      classesCreated: unknown,
    }
    const liveLabels = cachedStatement(db, 'SELECT id, class_id, x1, y1, x2, y2 FROM annotations WHERE image_id = ? AND deleted_at IS NULL ORDER BY id')
    // A new step discards the project's redo steps, as the editor does (history is one line).
    const dropRedo = cachedStatement(db, 'DELETE FROM edit_gestures WHERE undone = 1')
    const insertGesture = cachedStatement(db, 'INSERT INTO edit_gestures (image_id, command, created_at) VALUES (?, ?, ?)')
    const setBatch = cachedStatement(db, 'UPDATE edit_gestures SET batch_id = ? WHERE id = ?')
    const insertLabel = cachedStatement(
      db,
      `INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'import', ?, ?, ?)`,
    )
    const deleteLabel = cachedStatement(db, 'UPDATE annotations SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
    const logEntry = cachedStatement(db, 'INSERT INTO edit_log (gesture_id, annotation_id, op, before, after) VALUES (?, ?, ?, ?, ?)')
    const markReviewed = cachedStatement(
      db,
      `UPDATE images SET status = 'reviewed', error_message = NULL, reviewed_at = @now WHERE id = @id AND status <> 'reviewed'`,
    )
    const state = (classId: number, box: readonly number[]) => JSON.stringify({ classId, box: [box[0], box[1], box[2], box[3]] })

    for (const entry of entries) {
      const touched = isImageTouchedByPerson(db, entry.imageId)
      if (options.mode === 'replace' && touched) {
        result.imagesKeptTouched++
        continue
      }
      const existing = liveLabels.all(entry.imageId) as Array<BoxColumns & { id: number; class_id: number }>
      const removals = options.mode === 'replace' ? existing : []
      const creations =
        options.mode === 'replace'
          ? entry.boxes
          : entry.boxes.filter(({ className, box }) => {
              const duplicate = existing.some((label) => label.class_id === classIds.get(className) && sameBox(boxFromColumns(label), box))
              if (duplicate) result.duplicatesSkipped++
              return !duplicate
            })
      if (options.markReviewed) result.imagesMarkedReviewed += markReviewed.run({ id: entry.imageId, now: options.now }).changes
      if (removals.length === 0 && creations.length === 0) continue

      if (result.batchId === null) dropRedo.run()
      const gestureId = Number(insertGesture.run(entry.imageId, IMPORT_COMMAND, options.now).lastInsertRowid)
      // The batch is named after its first gesture, whose id no other batch can have.
      result.batchId ??= gestureId
      setBatch.run(result.batchId, gestureId)
      for (const label of removals) {
        if (deleteLabel.run(options.now, options.now, label.id).changes !== 1) throw new Error(`Label ${label.id} was not removed.`)
        logEntry.run(gestureId, label.id, 'delete', state(label.class_id, boxFromColumns(label)), null)
        result.labelsRemoved++
      }
      for (const { className, box } of creations) {
        const classId = classIds.get(className)!
        const annotationId = Number(insertLabel.run(entry.imageId, classId, box[0], box[1], box[2], box[3], entry.source, options.now, options.now).lastInsertRowid)
        logEntry.run(gestureId, annotationId, 'create', null, state(classId, box))
        result.labelsCreated++
      }
      result.imagesChanged++
      result.changedImageIds.push(entry.imageId)
    }
    return result
  }).immediate()
}

export interface ImportTargetImage {
  id: number
  relativePath: string
  width: number
  height: number
  touched: boolean
}

/** Every image of the project with its displayed size and whether a person has touched it, for matching an import. */
export function listImportTargets(db: SqliteDatabase): ImportTargetImage[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.path, i.width, i.height,
              (i.status = 'reviewed'
               OR EXISTS (SELECT 1 FROM edit_gestures g WHERE g.image_id = i.id)
               OR EXISTS (SELECT 1 FROM annotations a WHERE a.image_id = i.id AND a.origin <> 'detection')) AS touched
       FROM images i ORDER BY i.path`,
    )
    .all() as Array<{ id: number; path: string; width: number; height: number; touched: number }>
  return rows.map((row) => ({ id: row.id, relativePath: row.path, width: row.width, height: row.height, touched: row.touched === 1 }))
}
