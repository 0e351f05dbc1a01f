import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFixtureImages, fixtureModel } from '../jobs/project-fixture'
import { type ServerHarness, startHarness } from './server-harness'

/**
 * Issue 12, item 7: a detection run started on a project that became read-only said SQLite's
 * "attempt to write a readonly database"; it must say what rescan says, in plain words.
 */

let harness: ServerHarness
let projectFile: string
const isRoot = process.getuid?.() === 0

function setImmutable(path: string, on: boolean): boolean {
  return spawnSync('chattr', [on ? '+i' : '-i', path]).status === 0
}

beforeAll(async () => {
  harness = await startHarness()
  const folder = join(harness.folder, 'images')
  copyFixtureImages(folder, 2)
  const { body } = await harness.call('project.create', { imageFolder: folder })
  projectFile = body.value.file
})

afterAll(async () => {
  if (isRoot) setImmutable(projectFile, false)
  await harness.stop()
})

describe('a run on a read-only project', () => {
  it('is refused with the read-only sentence, not SQLite text', async (context) => {
    if (!isRoot) return context.skip('needs root to mark the open project file immutable (chattr +i); the opener test covers chmod')
    if (!setImmutable(projectFile, true)) return context.skip('this file system has no immutable flag (chattr +i failed)')
    try {
      const { body } = await harness.call('runs.start', { scope: 'all', provider: 'cpu', modelPath: fixtureModel })
      expect(body.ok).toBe(false)
      expect(body.error.message).toMatch(/read-only location/)
      expect(body.error.message).not.toMatch(/attempt to write a readonly database/)
    } finally {
      setImmutable(projectFile, false)
    }
  }, 60_000)
})
