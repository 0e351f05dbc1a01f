import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { migration0001 } from '../../../src-main/core/db/migrations/0001-project-and-images'
import { migration0002 } from '../../../src-main/core/db/migrations/0002-runs-detections-annotations'
import { migration0003 } from '../../../src-main/core/db/migrations/0003-run-lease'

let folder: string
let file: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m4-'))
  file = join(folder, 'test.rwproj')
  db = openDatabase(file, { mustExist: false })
})

afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

const columnsOf = (table: string) =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((row) => row.name)

describe('migration 4: labels as truth', () => {
  it('keeps every row of a version 3 file, dates its reviewed images and adds the new columns empty', () => {
    migrate(db, [migration0001, migration0002, migration0003])
    db.exec(`
      INSERT INTO project VALUES (1, 'u', 'p', '2026-01-01', '0.1.0', '.');
      INSERT INTO images (id, path, format, width, height, file_size, mtime_ms, added_at, status)
        VALUES (1, 'a.jpg', 'jpeg', 4, 3, 10, 1, '2026-01-02', 'reviewed'), (2, 'b.jpg', 'jpeg', 4, 3, 10, 1, '2026-01-03', 'new');
      INSERT INTO classes (name, color, sort_order, created_at) VALUES ('cat', '#112233', 0, 't');
      INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, created_at, updated_at)
        VALUES (1, 1, 0, 0, 2, 2, 'manual', 't', 't');
      INSERT INTO edit_gestures (image_id, command, created_at) VALUES (1, 'draw', 't');
    `)
    db.close()

    db = openDatabase(file, { mustExist: true })
    expect(migrate(db, projectMigrations.slice(0, 4))).toEqual({ from: 3, to: 4 })
    expect(getSchemaVersion(db)).toBe(4)
    expect(columnsOf('project')).toContain('label_threshold')
    expect(db.prepare('SELECT label_threshold FROM project').pluck().get()).toBeNull()
    expect(db.prepare('SELECT id, reviewed_at FROM images ORDER BY id').all()).toEqual([
      { id: 1, reviewed_at: '2026-01-02' },
      { id: 2, reviewed_at: null },
    ])
    expect(db.prepare('SELECT source FROM annotations').pluck().all()).toEqual([null])
    expect(db.prepare('SELECT batch_id FROM edit_gestures').pluck().all()).toEqual([null])
    expect(db.prepare('SELECT merged_into FROM classes').pluck().all()).toEqual([null])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])
  })

  it('refuses out-of-range thresholds and a source on a label that was not imported', () => {
    migrate(db, projectMigrations)
    db.exec(`
      INSERT INTO project VALUES (1, 'u', 'p', 't', '0.1.0', '.', NULL);
      INSERT INTO images (id, path, format, width, height, file_size, mtime_ms, added_at) VALUES (1, 'a.jpg', 'jpeg', 4, 3, 10, 1, 't');
      INSERT INTO classes (name, color, sort_order, created_at) VALUES ('cat', '#112233', 0, 't');
    `)
    expect(() => db.exec('UPDATE project SET label_threshold = 0')).toThrow(/CHECK/)
    expect(() => db.exec('INSERT INTO class_label_thresholds VALUES (1, 1.5)')).toThrow(/CHECK/)
    expect(() =>
      db.exec(`INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, created_at, updated_at, source)
               VALUES (1, 1, 0, 0, 1, 1, 'manual', 't', 't', 'x.json')`),
    ).toThrow(/CHECK/)
    db.exec(`INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, created_at, updated_at, source)
             VALUES (1, 1, 0, 0, 1, 1, 'import', 't', 't', 'x.json')`)
    expect(db.prepare('SELECT count(*) FROM annotations').pluck().get()).toBe(1)
  })
})
