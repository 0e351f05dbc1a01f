import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/connection'
import { migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { insertProject } from '../../../src-main/core/db/project-repository'
import { describeStorageError } from '../../../src-main/core/db/storage-errors'
import { openProjectFile as openJobProjectFile } from '../../../src-main/core/jobs/project-file'
import { openProjectFile } from '../../../src-main/core/projects/open-project-file'
import { PERMISSIONS_DO_NOT_BIND, permissionsBindThisProcess } from '../../helpers/permissions'

/** Honest errors when opening project files (issue 12, items 6 and 7). */

let folder: string
const isRoot = process.getuid?.() === 0

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-open-file-'))
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

function makeProject(directory: string): string {
  mkdirSync(join(directory, 'images'), { recursive: true })
  const file = join(directory, 'project.rwproj')
  const db = openDatabase(file, { mustExist: false })
  migrate(db, projectMigrations)
  insertProject(db, {
    uuid: '2c1f7a1e-0d4b-4c55-9a1e-6b2d3c4e5f60',
    name: 'p',
    createdAt: new Date().toISOString(),
    appVersion: '0',
    imageRoot: 'images',
  })
  db.close()
  return file
}

/**
 * Makes a file or folder unwritable for this process: the immutable flag as root (whom
 * permissions do not stop), plain permissions otherwise. Returns an undo, or undefined when
 * this system allows neither.
 */
function makeReadOnly(path: string, mode: number): (() => void) | undefined {
  if (isRoot) {
    const result = spawnSync('chattr', ['+i', path])
    return result.status === 0 ? () => void spawnSync('chattr', ['-i', path]) : undefined
  }
  chmodSync(path, mode)
  return () => chmodSync(path, 0o755)
}

describe('opening a project in a read-only place', () => {
  it('names the read-only folder and says what to do, instead of "not a project file"', (context) => {
    const directory = join(folder, 'read-only-folder')
    const file = makeProject(directory)
    const undo = makeReadOnly(directory, 0o555)
    if (!undo) return context.skip('this system cannot make a folder read-only for this user (no chattr)')
    try {
      for (const open of [openProjectFile, openJobProjectFile]) {
        expect(() => open(file)).toThrow(/read-only location.*Copy the project folder to a place you can write to/)
        expect(() => open(file)).not.toThrow(/is not a Retina Workbench project file/)
      }
    } finally {
      undo()
    }
    // Once writable again it opens as usual.
    openProjectFile(file).close()
  })

  it('names a read-only project file the same way (a run started on it says so too)', (context) => {
    const directory = join(folder, 'read-only-file')
    const file = makeProject(directory)
    const undo = makeReadOnly(file, 0o444)
    if (!undo) return context.skip('this system cannot make a file read-only for this user (no chattr)')
    try {
      expect(() => openJobProjectFile(file)).toThrow(/read-only location/)
    } finally {
      undo()
    }
  })

  it('says permission denied for a file it may not read', (context) => {
    if (!permissionsBindThisProcess()) return context.skip(`${PERMISSIONS_DO_NOT_BIND}; the mapping is checked below`)
    const directory = join(folder, 'unreadable')
    const file = makeProject(directory)
    chmodSync(file, 0o000)
    try {
      expect(() => openProjectFile(file)).toThrow(/Permission denied/)
    } finally {
      chmodSync(file, 0o644)
    }
  })
})

describe('describeStorageError', () => {
  const cases: Array<[string, RegExp]> = [
    ['SQLITE_FULL', /disk .* is full.*Free some space/],
    ['ENOSPC', /disk .* is full/],
    ['SQLITE_READONLY', /read-only location/],
    ['SQLITE_READONLY_DIRECTORY', /read-only location/],
    ['EROFS', /read-only location/],
    ['SQLITE_PERM', /Permission denied/],
    ['EACCES', /Permission denied/],
    ['SQLITE_BUSY', /locked by another program/],
    ['SQLITE_IOERR_WRITE', /input\/output error/],
    ['SQLITE_NOTADB', /damaged or is not a Retina Workbench project file/],
  ]
  for (const [code, message] of cases) {
    it(`names ${code} in plain words`, () => {
      const error = Object.assign(new Error('raw text'), { code })
      expect(describeStorageError(error, '/p.rwproj')?.message).toMatch(message)
    })
  }

  it('leaves other errors alone', () => {
    expect(describeStorageError(new Error('x'), '/p.rwproj')).toBeUndefined()
  })
})

describe('opening something that is not a project', () => {
  it('leaves a foreign SQLite database byte for byte as it was, journal mode included', () => {
    const file = join(folder, 'foreign.rwproj')
    const db = openDatabase(file, { mustExist: false, readOnly: false })
    db.pragma('journal_mode = DELETE')
    db.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')")
    db.close()
    const before = readFileSync(file)
    expect(() => openProjectFile(file)).toThrow(/is not a Retina Workbench project file/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('leaves an empty file empty, and a text file as it was', () => {
    const empty = join(folder, 'empty.rwproj')
    writeFileSync(empty, '')
    expect(() => openProjectFile(empty)).toThrow(/is not a Retina Workbench project file/)
    expect(readFileSync(empty).length).toBe(0)
    const text = join(folder, 'text.rwproj')
    writeFileSync(text, 'just some notes, long enough to pass the header length')
    expect(() => openProjectFile(text)).toThrow(/is not a Retina Workbench project file/)
    expect(readFileSync(text, 'utf8')).toBe('just some notes, long enough to pass the header length')
  })

  it('says a folder is a folder', () => {
    expect(() => openProjectFile(folder)).toThrow(/is a folder, not a project file/)
  })
})
