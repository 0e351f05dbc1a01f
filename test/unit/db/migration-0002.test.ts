import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { migration0001 } from '../../../src-main/core/db/migrations/0001-project-and-images'
import { migration0002 } from '../../../src-main/core/db/migrations/0002-runs-detections-annotations'

let folder: string
let file: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m2-'))
  file = join(folder, 'test.rwproj')
  db = openDatabase(file, { mustExist: false })
})

afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

function tableNames(database: SqliteDatabase): string[] {
  return (
    database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{
      name: string
    }>
  ).map((row) => row.name)
}

describe('migration 2: runs, detections, annotations, classes and edit log', () => {
  it('brings a fresh database to version 2 with every table STRICT', () => {
    expect(migrate(db, [migration0001, migration0002])).toEqual({ from: 0, to: 2 })
    expect(getSchemaVersion(db)).toBe(2)
    expect(tableNames(db)).toEqual([
      'annotations',
      'classes',
      'detections',
      'edit_gestures',
      'edit_log',
      'images',
      'project',
      'run_class_counts',
      'run_classes',
      'run_images',
      'runs',
    ])
    const strictness = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all() as Array<{
      name: string
      strict: number
    }>
    expect(strictness.filter((table) => table.strict !== 1)).toEqual([])
  })

  it('upgrades a version 1 project file, keeping its images and marking them new', () => {
    migrate(db, [migration0001])
    const insert = db.prepare(
      `INSERT INTO images (path, format, width, height, file_size, mtime_ms, added_at)
       VALUES (?, 'jpeg', 640, 480, 5000, 12.5, '2026-01-01T00:00:00Z')`,
    )
    insert.run('a.jpg')
    insert.run('sub/b.jpg')
    const before = db.prepare('SELECT id, path, width, height, file_size, mtime_ms FROM images ORDER BY id').all()
    db.close()

    db = openDatabase(file, { mustExist: true })
    expect(migrate(db, [migration0001, migration0002])).toEqual({ from: 1, to: 2 })
    expect(db.prepare('SELECT id, path, width, height, file_size, mtime_ms FROM images ORDER BY id').all()).toEqual(before)
    expect(db.prepare('SELECT DISTINCT status, error_message, missing FROM images').all()).toEqual([
      { status: 'new', error_message: null, missing: 0 },
    ])
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('keeps an error message exactly when the status is error', () => {
    migrate(db, projectMigrations)
    db.prepare(
      `INSERT INTO images (path, format, width, height, file_size, mtime_ms, added_at) VALUES ('x.png', 'png', 1, 1, 1, 1, 't')`,
    ).run()
    expect(() => db.prepare("UPDATE images SET status = 'error'").run()).toThrow(/CHECK/)
    expect(() => db.prepare("UPDATE images SET error_message = 'broken'").run()).toThrow(/CHECK/)
    db.prepare("UPDATE images SET status = 'error', error_message = 'broken'").run()
    expect(() => db.prepare("UPDATE images SET status = 'done'").run()).toThrow(/CHECK/)
  })

  it('never reuses the id of a deleted class', () => {
    migrate(db, projectMigrations)
    const insert = db.prepare("INSERT INTO classes (name, color, sort_order, created_at) VALUES (?, '#112233', 0, 't')")
    insert.run('a')
    const second = Number(insert.run('b').lastInsertRowid)
    db.prepare('DELETE FROM classes WHERE id = ?').run(second)
    expect(Number(insert.run('c').lastInsertRowid)).toBe(second + 1)
  })
})
