import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerHarness, startHarness } from './server-harness'

/**
 * Opens and closes sent at the same moment (two tabs, a tab and a script): each is answered as
 * if the calls had run one after another, a close never pulling the database from under an open
 * (issue 20).
 */

let harness: ServerHarness
const projectFiles: string[] = []

beforeAll(async () => {
  harness = await startHarness()
  for (const name of ['first', 'second']) {
    const folder = join(harness.folder, name)
    await mkdir(folder)
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toFile(join(folder, 'x.png'))
    const { body } = await harness.call('project.create', { imageFolder: folder })
    projectFiles.push(body.value.file)
  }
})

afterAll(async () => {
  await harness.stop()
})

type Call = { method: 'project.open'; projectFile: string } | { method: 'project.close' }

/** Round `round`'s calls: opens of both files with closes between them, in an order that shifts each round. */
function roundOf(round: number): Call[] {
  const calls: Call[] = [
    { method: 'project.open', projectFile: projectFiles[0]! },
    { method: 'project.close' },
    { method: 'project.open', projectFile: projectFiles[1]! },
    { method: 'project.open', projectFile: projectFiles[0]! },
    { method: 'project.close' },
    { method: 'project.open', projectFile: projectFiles[1]! },
  ]
  const shift = round % calls.length
  return [...calls.slice(shift), ...calls.slice(0, shift)]
}

describe('concurrent project.open and project.close', () => {
  it('answers 20 rounds of mixed opens and closes without an error, each open with its own file', async () => {
    for (let round = 0; round < 20; round++) {
      const calls = roundOf(round)
      const answers = await Promise.all(
        calls.map((call) => (call.method === 'project.open' ? harness.call('project.open', { projectFile: call.projectFile }) : harness.call('project.close'))),
      )
      const described = answers.map(({ body }) => (body.ok ? (body.value === null ? 'closed' : body.value.file) : `${body.error.code}: ${body.error.message}`))
      expect(described).toEqual(calls.map((call) => (call.method === 'project.open' ? call.projectFile : 'closed')))

      // The calls travel on separate connections, so which one the server received last is not fixed.
      const current = (await harness.call('project.current')).body
      expect(current.ok).toBe(true)
      expect([null, ...projectFiles]).toContain(current.value?.file ?? null)
    }
  })

  it('leaves a usable project after the races', async () => {
    await harness.call('project.open', { projectFile: projectFiles[1] })
    expect((await harness.call('images.list', { offset: 0, limit: 5 })).body.value.total).toBe(1)
  })
})
