import type { ProjectClass } from '../../../src-shared/api/types'
import { AppError } from '../errors'
import { normalizeColor, pickDefaultColor } from './class-palette'
import type { SqliteDatabase } from './connection'
import { classNameProblem, quotedClassName } from '../../../src-shared/api/class-name'

/**
 * A class as the API shows it, less its counts (see listClassesWithCounts). Its id is stable for
 * the life of the project: a rename never changes it, a deleted id is never reused; `order` is
 * its position in lists and legends, ascending.
 */
export type ClassRecord = Omit<ProjectClass, 'labelCount' | 'detectionCount'>

/** The columns of `classes` under the contract's names. */
const CLASS_COLUMNS = 'id, name, color, sort_order AS "order"'

/** The last wall: every path that makes or renames a class passes here (see class-name.ts). */
function cleanName(name: string): string {
  const problem = classNameProblem(name)
  if (problem) throw new AppError('invalid-argument', `${quotedClassName(name)} cannot be a class name: ${problem}.`)
  return name.trim()
}

/** The project's classes in their order; a class merged into another is no longer one of them. */
export function listClasses(db: SqliteDatabase): ClassRecord[] {
  return db.prepare(`SELECT ${CLASS_COLUMNS} FROM classes WHERE merged_into IS NULL ORDER BY sort_order, id`).all() as ClassRecord[]
}

export function findClass(db: SqliteDatabase, id: number): ClassRecord | undefined {
  return db.prepare(`SELECT ${CLASS_COLUMNS} FROM classes WHERE id = ?`).get(id) as ClassRecord | undefined
}

function requireClass(db: SqliteDatabase, id: number): ClassRecord {
  const found = findClass(db, id)
  if (!found) throw new AppError('not-found', { key: 'class.notFound', values: { classId: id } })
  return found
}

/** Like requireClass, but refuses a class that was merged into another. */
function requireListedClass(db: SqliteDatabase, id: number): ClassRecord {
  const found = requireClass(db, id)
  const mergedInto = db.prepare('SELECT merged_into FROM classes WHERE id = ?').pluck().get(id) as number | null
  if (mergedInto !== null) throw new AppError('conflict', { key: 'class.merged', values: { name: found.name } })
  return found
}

function findClassIdByName(db: SqliteDatabase, name: string): number | undefined {
  const row = db.prepare('SELECT id FROM classes WHERE name = ?').get(name) as { id: number } | undefined
  return row?.id
}

function insertClass(db: SqliteDatabase, name: string, color: string | undefined, now: string): number {
  const existing = db.prepare('SELECT color FROM classes').all() as Array<{ color: string }>
  const chosen = color ?? pickDefaultColor(existing.map((row) => row.color), existing.length)
  const result = db
    .prepare(
      `INSERT INTO classes (name, color, sort_order, created_at)
       VALUES (?, ?, (SELECT coalesce(max(sort_order), -1) + 1 FROM classes), ?)`,
    )
    .run(name, chosen, now)
  if (result.changes !== 1) throw new Error(`Class "${name}" was not written.`)
  return Number(result.lastInsertRowid)
}

/** Adds a class at the end of the order, with the given colour or the next palette colour. */
export function createClass(db: SqliteDatabase, name: string, now: string, color?: string): ClassRecord {
  const cleaned = cleanName(name)
  const normalized = color === undefined ? undefined : normalizeColor(color)
  if (color !== undefined && !normalized) {
    throw new AppError('invalid-argument', { key: 'class.notAColour', values: { colour: color } })
  }
  return db.transaction(() => {
    if (findClassIdByName(db, cleaned) !== undefined) {
      throw new AppError('conflict', { key: 'class.exists', values: { name: cleaned } })
    }
    return requireClass(db, insertClass(db, cleaned, normalized, now))
  })()
}

/**
 * The class id for each name, creating the classes that do not exist yet (in the order
 * given). Used to map a model's label names onto the project's classes; names match exactly,
 * and a name whose class was merged into another maps to that other class.
 */
export function ensureClassesByName(db: SqliteDatabase, names: readonly string[], now: string): Map<string, number> {
  const cleaned = names.map(cleanName)
  return db.transaction(() => {
    const ids = new Map<string, number>()
    for (const name of cleaned) {
      if (ids.has(name)) continue
      const existing = db.prepare('SELECT coalesce(merged_into, id) FROM classes WHERE name = ?').pluck().get(name) as
        | number
        | undefined
      ids.set(name, existing ?? insertClass(db, name, undefined, now))
    }
    return ids
  })()
}

/** Renames a class in place; its id, and so every box that uses it, stays the same. */
export function renameClass(db: SqliteDatabase, id: number, newName: string): ClassRecord {
  const cleaned = cleanName(newName)
  return db.transaction(() => {
    const current = requireListedClass(db, id)
    if (current.name === cleaned) return current
    const clash = findClassIdByName(db, cleaned)
    if (clash !== undefined) throw new AppError('conflict', { key: 'class.exists', values: { name: cleaned } })
    const result = db.prepare('UPDATE classes SET name = ? WHERE id = ?').run(cleaned, id)
    if (result.changes !== 1) throw new Error(`Class ${id} was not renamed.`)
    return requireClass(db, id)
  })()
}

export function setClassColor(db: SqliteDatabase, id: number, color: string): ClassRecord {
  const normalized = normalizeColor(color)
  if (!normalized) throw new AppError('invalid-argument', { key: 'class.notAColour', values: { colour: color } })
  return db.transaction(() => {
    requireListedClass(db, id)
    const result = db.prepare('UPDATE classes SET color = ? WHERE id = ?').run(normalized, id)
    if (result.changes !== 1) throw new Error(`Class ${id} was not recoloured.`)
    return requireClass(db, id)
  })()
}

/** Puts the classes in the given order; `orderedIds` must list every class exactly once. */
export function reorderClasses(db: SqliteDatabase, orderedIds: readonly number[]): void {
  db.transaction(() => {
    const known = (db.prepare('SELECT id FROM classes WHERE merged_into IS NULL').all() as Array<{ id: number }>).map((row) => row.id)
    const given = new Set(orderedIds)
    if (given.size !== orderedIds.length || known.length !== orderedIds.length || known.some((id) => !given.has(id))) {
      throw new AppError('invalid-argument', 'The new class order must list every class of the project exactly once.')
    }
    const update = db.prepare('UPDATE classes SET sort_order = ? WHERE id = ?')
    orderedIds.forEach((id, position) => {
      if (update.run(position, id).changes !== 1) throw new Error(`Class ${id} was not reordered.`)
    })
  })()
}

/**
 * Deletes a class nothing refers to. A class still used by a label, a detection or a run's
 * label mapping is refused, since its boxes would otherwise lose their meaning.
 */
export function deleteUnusedClass(db: SqliteDatabase, id: number): void {
  db.transaction(() => {
    const found = requireClass(db, id)
    const used = db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM annotations WHERE class_id = @id)
             OR EXISTS (SELECT 1 FROM run_classes WHERE class_id = @id) AS used`,
      )
      .get({ id }) as { used: number }
    if (used.used) {
      throw new AppError('conflict', { key: 'class.stillUsed', values: { name: found.name } })
    }
    if (db.prepare('DELETE FROM classes WHERE id = ?').run(id).changes !== 1) throw new Error(`Class ${id} was not deleted.`)
  })()
}

/**
 * Merges a class into another: every label of `classId` (deleted ones too, so undo restores
 * them in the class that remains) and every edit log state naming it move to `intoClassId`, its
 * own label threshold goes, and it leaves the class list. Detections are immutable and keep
 * their class; they are read as the class it went into (see classes.merged_into). A class
 * merged into `classId` earlier now points at `intoClassId` too. Returns how many labels moved
 * and the images whose labels or suggestions now read differently.
 */
export function mergeClass(
  db: SqliteDatabase,
  classId: number,
  intoClassId: number,
): { labelsMoved: number; imageIds: number[] } {
  if (classId === intoClassId) throw new AppError('invalid-argument', { key: 'class.mergeIntoItself' })
  return db.transaction(() => {
    requireListedClass(db, classId)
    requireListedClass(db, intoClassId)
    const imageIds = db
      .prepare(
        `SELECT image_id FROM annotations WHERE class_id = @from
         UNION SELECT image_id FROM detections WHERE class_id IN (SELECT id FROM classes WHERE id = @from OR merged_into = @from)
         ORDER BY 1`,
      )
      .pluck()
      .all({ from: classId }) as number[]
    const moved = db
      .prepare('UPDATE annotations SET class_id = ? WHERE class_id = ? AND deleted_at IS NULL')
      .run(intoClassId, classId).changes
    db.prepare('UPDATE annotations SET class_id = ? WHERE class_id = ?').run(intoClassId, classId)
    for (const column of ['before', 'after'] as const) {
      db.prepare(
        `UPDATE edit_log SET ${column} = json_set(${column}, '$.classId', @into)
         WHERE ${column} IS NOT NULL AND json_extract(${column}, '$.classId') = @from`,
      ).run({ into: intoClassId, from: classId })
    }
    db.prepare('DELETE FROM class_label_thresholds WHERE class_id = ?').run(classId)
    db.prepare('UPDATE classes SET merged_into = @into WHERE id = @from OR merged_into = @from').run({ into: intoClassId, from: classId })
    return { labelsMoved: moved, imageIds }
  })()
}

/** Merged class id → the class it went into (after mergeClass, always a listed class). */
export function listClassMerges(db: SqliteDatabase): Map<number, number> {
  const rows = db.prepare('SELECT id, merged_into FROM classes WHERE merged_into IS NOT NULL').all() as Array<{
    id: number
    merged_into: number
  }>
  return new Map(rows.map((row) => [row.id, row.merged_into]))
}
