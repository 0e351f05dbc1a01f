import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecentProjects } from '../../../src-main/core/projects/recent-projects'

let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-recent-'))
})

afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('RecentProjects', () => {
  it('starts empty when no list exists yet', async () => {
    expect(await new RecentProjects(join(folder, 'new-user')).list()).toEqual([])
  })

  it('moves a reopened project to the top without duplicating it', async () => {
    const recent = new RecentProjects(folder)
    await recent.remember('/p/a.rwproj', 'A', '2026-01-01T00:00:00.000Z')
    await recent.remember('/p/b.rwproj', 'B', '2026-01-02T00:00:00.000Z')
    await recent.remember('/p/a.rwproj', 'A', '2026-01-03T00:00:00.000Z')
    expect((await recent.list()).map((entry) => [entry.file, entry.openedAt])).toEqual([
      ['/p/a.rwproj', '2026-01-03T00:00:00.000Z'],
      ['/p/b.rwproj', '2026-01-02T00:00:00.000Z'],
    ])
  })

  it('keeps every entry when many are remembered at once', async () => {
    const recent = new RecentProjects(folder)
    await Promise.all(Array.from({ length: 10 }, (_, index) => recent.remember(`/p/${index}.rwproj`, `P${index}`)))
    expect(await recent.list()).toHaveLength(10)
    // Written by rename: no temporary file is left behind.
    expect(await readdir(folder)).toEqual(['recent-projects.json'])
  })

  it('marks entries whose file no longer exists', async () => {
    const existing = join(folder, 'here.rwproj')
    await writeFile(existing, '')
    const recent = new RecentProjects(folder)
    await recent.remember(existing, 'Here')
    await recent.remember(join(folder, 'gone.rwproj'), 'Gone')
    expect((await recent.list()).map((entry) => [entry.name, entry.exists])).toEqual([
      ['Gone', false],
      ['Here', true],
    ])
  })

  it('treats a damaged list as empty and repairs it on the next write', async () => {
    const recent = new RecentProjects(folder)
    await writeFile(recent.file, '{ not json')
    expect(await recent.list()).toEqual([])
    await recent.remember('/p/a.rwproj', 'A')
    expect(JSON.parse(await readFile(recent.file, 'utf8')).projects).toHaveLength(1)
  })

  it('drops malformed entries', async () => {
    const recent = new RecentProjects(folder)
    await writeFile(recent.file, JSON.stringify({ version: 1, projects: [{ file: 3 }, { file: '/x', name: 'X', openedAt: 't' }] }))
    expect((await recent.list()).map((entry) => entry.file)).toEqual(['/x'])
  })

  it('forgets a project', async () => {
    const recent = new RecentProjects(folder)
    await recent.remember('/p/a.rwproj', 'A')
    await recent.forget('/p/a.rwproj')
    expect(await recent.list()).toEqual([])
  })
})
