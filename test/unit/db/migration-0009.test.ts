import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'

let folder: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m9-'))
  db = openDatabase(join(folder, 'test.rwproj'), { mustExist: false })
})
afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

describe('migration 9: decode cutoff', () => {
  it('renames runs.score_threshold to decode_cutoff, keeping every run’s value and its check', () => {
    migrate(db, projectMigrations.slice(0, 8))
    db.exec(`INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, score_threshold, scope, state, started_at, finished_at)
             VALUES ('/m.onnx', '${'a'.repeat(64)}', '{}', 'cpu', 0.05, 'all', 'done', 't', 't')`)
    expect(migrate(db, projectMigrations.slice(0, 9))).toEqual({ from: 8, to: 9 })
    expect(getSchemaVersion(db)).toBe(9)
    // Read by SQL: the repository reads the latest schema, which has columns version 9 lacks.
    expect(db.prepare('SELECT decode_cutoff FROM runs WHERE id = 1').pluck().get()).toBe(0.05)
    expect(() => db.exec('UPDATE runs SET decode_cutoff = 2')).toThrow(/CHECK/)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
