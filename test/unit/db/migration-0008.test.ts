import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { listExportFolders, rememberExportFolder } from '../../../src-main/core/db/export-folders-repository'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'

let folder: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m8-'))
  db = openDatabase(join(folder, 'test.rwproj'), { mustExist: false })
})
afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

describe('migration 8: export folders', () => {
  it('adds an empty table to a version 7 file', () => {
    migrate(db, projectMigrations.slice(0, 7))
    expect(migrate(db, projectMigrations.slice(0, 8))).toEqual({ from: 7, to: 8 })
    expect(getSchemaVersion(db)).toBe(8)
    expect(listExportFolders(db)).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('keeps each folder once, the most recently used first, and refuses an empty one', () => {
    migrate(db, projectMigrations)
    rememberExportFolder(db, '/data/exports', '2026-12-01T10:00:00.000Z')
    rememberExportFolder(db, '/mnt/share', '2026-12-02T10:00:00.000Z')
    rememberExportFolder(db, '/data/exports', '2026-12-03T10:00:00.000Z')
    expect(listExportFolders(db)).toEqual(['/data/exports', '/mnt/share'])
    expect(() => rememberExportFolder(db, '', 'now')).toThrow(/CHECK/)
  })
})
