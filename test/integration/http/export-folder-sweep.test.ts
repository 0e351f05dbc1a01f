/**
 * An export killed midway leaves a hidden `.partial` folder beside its destination. The
 * project remembers every folder its exports wrote into, and opening it removes such folders
 * there: those of a process that is gone, never one of a live process, nor anything else.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/connection'
import { listExportFolders } from '../../../src-main/core/db/export-folders-repository'
import { temporaryFolderName } from '../../../src-main/core/formats/export-temporary-folder'
import { createLabelledProject, type LabelledProject } from '../formats/labelled-project'
import { type ServerHarness, startHarness } from './server-harness'

/** A process id no process has (above Linux's pid_max limit of 2^22). */
const GONE_PID = 4_194_305

let harness: ServerHarness
let source: LabelledProject
beforeAll(async () => {
  harness = await startHarness()
  source = await createLabelledProject(harness.folder)
  source.project.close()
  expect((await harness.call('project.open', { projectFile: source.project.file })).status).toBe(200)
})
afterAll(() => harness.stop())

describe('export folder sweep', () => {
  it('remembers where exports went and, on open, removes the partial folders of dead exports there', async () => {
    const exports = join(harness.folder, 'elsewhere', 'exports')
    const exported = await harness.call('labels.export', { format: 'yolo', out: join(exports, 'first') })
    expect(exported.body).toMatchObject({ ok: true, value: { state: 'done' } })
    const db = openDatabase(source.project.file, { mustExist: true, readOnly: true })
    try {
      expect(listExportFolders(db)).toEqual([exports])
    } finally {
      db.close()
    }

    // A killed export's folder, one of a live process (pid 1), and a folder of the person's own.
    const dead = temporaryFolderName('second', GONE_PID)
    const live = temporaryFolderName('third', 1)
    for (const name of [dead, live, '.not-an-export', 'second.partial-notes']) {
      await mkdir(join(exports, name))
      await writeFile(join(exports, name, 'labels.txt'), '0 0.5 0.5 0.1 0.1\n')
    }
    expect((await harness.call('project.close', {})).status).toBe(200)
    expect((await harness.call('project.open', { projectFile: source.project.file })).status).toBe(200)
    await vi.waitFor(async () => expect(await readdir(exports)).not.toContain(dead))
    expect((await readdir(exports)).sort()).toEqual(['.not-an-export', live, 'first', 'second.partial-notes'].sort())
  })
})
