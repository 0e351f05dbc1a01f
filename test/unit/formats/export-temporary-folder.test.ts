/** Which hidden `.partial` folders an export removes: only its own kind, and only when no live export owns them. */
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  claimTemporaryFolder,
  releaseTemporaryFolder,
  removeStaleTemporaryFolders,
  temporaryFolderName,
} from '../../../src-main/core/formats/export-temporary-folder'

let parent: string
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'export-partials-'))
})
afterEach(() => rm(parent, { recursive: true, force: true }))

/** The id of a process that has already ended. */
const endedPid = () => spawnSync(process.execPath, ['-e', '']).pid

const ownHostTag = () => /\.partial-([0-9a-f]{6})-/.exec(temporaryFolderName('out', 1))![1]!

async function makeFolders(names: string[]): Promise<void> {
  for (const name of names) {
    await mkdir(join(parent, name))
    await writeFile(join(parent, name, 'annotations.json'), '{}')
  }
}

describe('removeStaleTemporaryFolders', () => {
  it('removes folders of ended processes on this machine, named before or after the host was recorded', async () => {
    const pid = endedPid()
    const stale = [temporaryFolderName('out', pid), temporaryFolderName('other', pid, 0), `.out.partial-${pid}-mf3k2a`]
    await makeFolders(stale)
    expect((await removeStaleTemporaryFolders(parent)).sort()).toEqual([...stale].sort())
    expect(await readdir(parent)).toEqual([])
  })

  it('keeps the folder of a live process, of another machine, and anything not named as an export makes it', async () => {
    const otherHost = ownHostTag() === 'aaaaaa' ? 'bbbbbb' : 'aaaaaa'
    const kept = [
      temporaryFolderName('out', process.ppid),
      `.out.partial-${otherHost}-${endedPid()}-mf3k2a`,
      '.out.partial-notours',
      'out.partial-1-a',
      `.out.partial-${ownHostTag()}-${endedPid()}-mf3k2a.backup`,
    ]
    await makeFolders(kept)
    // A file with an export's name is not an export's folder.
    await writeFile(join(parent, temporaryFolderName('file', endedPid())), '')
    expect(await removeStaleTemporaryFolders(parent)).toEqual([])
    expect((await readdir(parent)).length).toBe(kept.length + 1)
  })

  it('keeps this process’s folder while its export is in progress, and removes it once released', async () => {
    const temporary = claimTemporaryFolder(join(parent, 'out'))
    await mkdir(temporary)
    expect(await removeStaleTemporaryFolders(parent)).toEqual([])
    releaseTemporaryFolder(temporary)
    expect(await removeStaleTemporaryFolders(parent)).toEqual([temporary.slice(parent.length + 1)])
  })

  it('does nothing for a parent folder that does not exist', async () => {
    expect(await removeStaleTemporaryFolders(join(parent, 'missing'))).toEqual([])
  })
})
