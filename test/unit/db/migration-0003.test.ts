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
  folder = await mkdtemp(join(tmpdir(), 'rw-m3-'))
  file = join(folder, 'test.rwproj')
  db = openDatabase(file, { mustExist: false })
})

afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

const runColumns = () => (db.prepare('SELECT name, type FROM pragma_table_info(?)').all('runs') as Array<{ name: string; type: string }>)

describe('migration 3: run lease', () => {
  it('adds the lease columns to the runs of a version 2 project file, free and with every run kept', () => {
    migrate(db, [migration0001, migration0002])
    db.prepare(
      `INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, score_threshold, scope, state, started_at)
       VALUES ('m.onnx', ?, '{}', 'cpu', 0.5, 'all', 'running', 't')`,
    ).run('c'.repeat(64))
    const before = db.prepare('SELECT * FROM runs').all()
    db.close()

    db = openDatabase(file, { mustExist: true })
    expect(migrate(db, projectMigrations.slice(0, 3))).toEqual({ from: 2, to: 3 })
    expect(getSchemaVersion(db)).toBe(3)
    expect(runColumns().slice(-2)).toEqual([
      { name: 'lease_owner', type: 'TEXT' },
      { name: 'lease_expires_at', type: 'INTEGER' },
    ])
    expect(db.prepare('SELECT * FROM runs').all()).toEqual(before.map((run) => ({ ...(run as object), lease_owner: null, lease_expires_at: null })))
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'runs'").pluck().get()).toBe(1)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
