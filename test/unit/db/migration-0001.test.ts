import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { migration0001 } from '../../../src-main/core/db/migrations/0001-project-and-images'

let folder: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m1-'))
  db = openDatabase(join(folder, 'test.rwproj'), { mustExist: false })
  migrate(db, [migration0001])
})

afterEach(async () => {
  db.close()
  await rm(folder, { recursive: true, force: true })
})

const insertImage = (path: string, width = 10, height = 10) =>
  db
    .prepare(
      `INSERT INTO images (path, format, width, height, file_size, mtime_ms, added_at)
       VALUES (?, 'png', ?, ?, 100, 1, '2026-01-01T00:00:00Z')`,
    )
    .run(path, width, height)

describe('migration 1: project and images', () => {
  it('brings an empty database to version 1', () => {
    expect(getSchemaVersion(db)).toBe(1)
  })

  it('creates the project table with exactly one allowed row', () => {
    const insert = db.prepare(
      `INSERT INTO project (id, uuid, name, created_at, app_version, image_root) VALUES (?, 'u', 'n', 't', 'v', '.')`,
    )
    insert.run(1)
    expect(() => insert.run(1)).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(() => insert.run(2)).toThrow(/CHECK/)
  })

  it('keeps image paths unique', () => {
    insertImage('a/b.png')
    expect(() => insertImage('a/b.png')).toThrow(/UNIQUE/)
  })

  it('rejects impossible sizes', () => {
    expect(() => insertImage('zero.png', 0, 10)).toThrow(/CHECK/)
  })

  it('is STRICT: a string in an integer column is refused', () => {
    expect(() => insertImage('strict.png', 'wide' as unknown as number)).toThrow(/cannot store TEXT/)
  })

  it('serves ORDER BY path from the unique index, not a sort', () => {
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM images ORDER BY path LIMIT 10').all() as Array<{
      detail: string
    }>
    expect(plan.map((row) => row.detail).join(' ')).not.toContain('TEMP B-TREE')
  })
})
