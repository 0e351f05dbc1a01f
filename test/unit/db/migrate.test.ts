import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { assertMigrationOrder, getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import type { Migration } from '../../../src-main/core/db/migrations/migration'
import { AppError } from '../../../src-main/core/errors'

let folder: string
let db: SqliteDatabase

const createNotes: Migration = {
  version: 1,
  name: 'notes',
  up: (database) => database.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)'),
}
const addNoteAuthor: Migration = {
  version: 2,
  name: 'note author',
  up: (database) => database.exec("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''"),
}
const failingThird: Migration = {
  version: 3,
  name: 'fails halfway',
  up: (database) => {
    database.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY)')
    throw new Error('boom')
  },
}

function tableNames(database: SqliteDatabase): string[] {
  return (
    database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
  ).map((row) => row.name)
}

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-migrate-'))
  db = openDatabase(join(folder, 'test.rwproj'), { mustExist: false })
})

afterEach(async () => {
  db.close()
  await rm(folder, { recursive: true, force: true })
})

describe('migration registry', () => {
  it('accepts consecutive versions from 1', () => {
    expect(() => assertMigrationOrder([createNotes, addNoteAuthor])).not.toThrow()
  })

  it.each([
    ['a gap', [createNotes, failingThird]],
    ['a duplicate', [createNotes, { ...addNoteAuthor, version: 1 }]],
    ['a wrong order', [addNoteAuthor, createNotes]],
    ['not starting at 1', [addNoteAuthor]],
  ])('refuses %s', (_reason, migrations) => {
    expect(() => assertMigrationOrder(migrations)).toThrow(/numbered consecutively/)
  })

  it("keeps the project's own registry in order", () => {
    expect(() => assertMigrationOrder(projectMigrations)).not.toThrow()
  })
})

describe('migrate', () => {
  it('runs pending migrations and records the version in user_version', () => {
    expect(getSchemaVersion(db)).toBe(0)
    expect(migrate(db, [createNotes, addNoteAuthor])).toEqual({ from: 0, to: 2 })
    expect(getSchemaVersion(db)).toBe(2)
    db.prepare("INSERT INTO notes (text, author) VALUES ('hi', 'me')").run()
  })

  it('runs only the migrations newer than the database', () => {
    migrate(db, [createNotes])
    db.prepare("INSERT INTO notes (text) VALUES ('kept')").run()
    expect(migrate(db, [createNotes, addNoteAuthor])).toEqual({ from: 1, to: 2 })
    expect(db.prepare('SELECT text, author FROM notes').all()).toEqual([{ text: 'kept', author: '' }])
  })

  it('does nothing when the database is current', () => {
    migrate(db, [createNotes, addNoteAuthor])
    expect(migrate(db, [createNotes, addNoteAuthor])).toEqual({ from: 2, to: 2 })
  })

  it('rolls back every pending migration when one fails, leaving the database unchanged', () => {
    migrate(db, [createNotes])
    const before = tableNames(db)
    expect(() => migrate(db, [createNotes, addNoteAuthor, failingThird])).toThrow('boom')
    expect(getSchemaVersion(db)).toBe(1)
    expect(tableNames(db)).toEqual(before)
    const columns = (db.prepare('PRAGMA table_info(notes)').all() as Array<{ name: string }>).map((c) => c.name)
    expect(columns).toEqual(['id', 'text'])
  })

  it('runs a migration that asks for it with foreign keys off, and turns them on again after, even on failure', () => {
    const seen: number[] = []
    const foreignKeys = (database: SqliteDatabase) => database.pragma('foreign_keys', { simple: true }) as number
    const rebuild: Migration = { ...addNoteAuthor, foreignKeysOff: true, up: (database) => void seen.push(foreignKeys(database)) }
    migrate(db, [{ ...createNotes, up: (database) => (seen.push(foreignKeys(database)), createNotes.up(database)) }, rebuild])
    expect(seen).toEqual([0, 0])
    expect(foreignKeys(db)).toBe(1)

    expect(() => migrate(db, [createNotes, rebuild, { ...failingThird, foreignKeysOff: true }])).toThrow('boom')
    expect(foreignKeys(db)).toBe(1)
    expect(getSchemaVersion(db)).toBe(2)
  })

  it('refuses a database from a newer version, naming both versions', () => {
    db.pragma('user_version = 7')
    let thrown: unknown
    try {
      migrate(db, [createNotes, addNoteAuthor])
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AppError)
    expect((thrown as AppError).message).toMatch(/schema version 7.*up to 2/)
    expect(getSchemaVersion(db)).toBe(7)
    expect(tableNames(db)).toEqual([])
  })
})

describe('connection settings', () => {
  it('uses WAL, foreign keys and a busy timeout', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0)
  })
})
