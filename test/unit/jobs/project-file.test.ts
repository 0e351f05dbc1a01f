import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/connection'
import { insertProject } from '../../../src-main/core/db/project-repository'
import { openProjectFile } from '../../../src-main/core/jobs/project-file'
import { createTemporaryProject } from '../db/project-database-fixture'

let folder: string
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'project-file-'))
})
afterEach(() => rmSync(folder, { recursive: true, force: true }))

describe('openProjectFile', () => {
  it('opens a project with its image root resolved beside the file', async () => {
    const temporary = await createTemporaryProject('project-file-open-')
    insertProject(temporary.db, { uuid: '0b0c2c5e-5d36-4f7e-9a51-1d2f3a4b5c6d', name: 'Birds', createdAt: 'now', appVersion: '1', imageRoot: 'photos' })
    temporary.db.close()
    const project = openProjectFile(temporary.file)
    try {
      expect(project.record.name).toBe('Birds')
      expect(project.imageRoot).toBe(join(temporary.folder, 'photos'))
    } finally {
      project.close()
      await temporary.dispose()
    }
  })

  it('refuses a missing file, a file that is not SQLite, and a SQLite file that is not a project', () => {
    expect(() => openProjectFile(join(folder, 'absent.rwproj'))).toThrow(/There is no project file at/)
    const text = join(folder, 'notes.rwproj')
    writeFileSync(text, 'just some text, long enough to be read as a database header by SQLite......')
    expect(() => openProjectFile(text)).toThrow(/not a Retina Workbench project file/)
    const other = join(folder, 'other.sqlite')
    const db = openDatabase(other, { mustExist: false })
    db.exec('CREATE TABLE t (x)')
    db.close()
    expect(() => openProjectFile(other)).toThrow(/not a Retina Workbench project file/)
  })
})
