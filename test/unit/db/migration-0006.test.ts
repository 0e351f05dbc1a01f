import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'

let folder: string
let file: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m6-'))
  file = join(folder, 'test.rwproj')
  db = openDatabase(file, { mustExist: false })
})

afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

describe('migration 6: one undo history per window', () => {
  it('keeps the edit history of a version 5 file, every step without an editor and still undoable', () => {
    migrate(db, projectMigrations.slice(0, 5))
    db.exec(`
      INSERT INTO project VALUES (1, 'u', 'p', 't', '0.1.0', '.', NULL);
      INSERT INTO images (id, path, format, width, height, file_size, mtime_ms, added_at) VALUES (1, 'a.jpg', 'jpeg', 4, 3, 10, 1, 't');
      INSERT INTO edit_gestures (image_id, command, created_at) VALUES (1, 'draw', 't'), (1, 'move', 't');
      UPDATE edit_gestures SET undone = 1 WHERE command = 'move';
    `)
    db.close()

    db = openDatabase(file, { mustExist: true })
    expect(migrate(db, projectMigrations.slice(0, 6))).toEqual({ from: 5, to: 6 })
    expect(getSchemaVersion(db)).toBe(6)
    expect(db.prepare('SELECT command, undone, editor_id, superseded_at FROM edit_gestures ORDER BY id').all()).toEqual([
      { command: 'draw', undone: 0, editor_id: null, superseded_at: null },
      { command: 'move', undone: 1, editor_id: null, superseded_at: null },
    ])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('refuses an empty or overlong editor identity', () => {
    migrate(db, projectMigrations.slice(0, 6))
    db.exec(`
      INSERT INTO project VALUES (1, 'u', 'p', 't', '0.1.0', '.', NULL);
      INSERT INTO images (id, path, format, width, height, file_size, mtime_ms, added_at) VALUES (1, 'a.jpg', 'jpeg', 4, 3, 10, 1, 't');
    `)
    const insert = db.prepare("INSERT INTO edit_gestures (image_id, command, created_at, editor_id) VALUES (1, 'draw', 't', ?)")
    expect(() => insert.run('')).toThrow(/CHECK/)
    expect(() => insert.run('x'.repeat(101))).toThrow(/CHECK/)
    insert.run('window-a-0001')
    expect(db.prepare('SELECT editor_id FROM edit_gestures').pluck().all()).toEqual(['window-a-0001'])
  })
})
