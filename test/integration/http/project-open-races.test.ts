import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerHarness, startHarness } from './server-harness'

/** Two tabs or two clients opening projects at the same moment (issue 12, item 8). */

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

describe('concurrent project.open', () => {
  it('answers two simultaneous opens of the same file with the project, five rounds running', async () => {
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([0, 1].map(() => harness.call('project.open', { projectFile: projectFiles[0] })))
      expect(answers.map(({ body }) => body)).toEqual(answers.map(() => expect.objectContaining({ ok: true })))
    }
  })

  it('answers 30 mixed opens of two files, each with the file it asked for, and leaves one usable project open', async () => {
    const order = Array.from({ length: 30 }, (_, index) => projectFiles[index % 2]!)
    const answers = await Promise.all(order.map((projectFile) => harness.call('project.open', { projectFile })))
    expect(answers.map(({ body }) => (body.ok ? body.value.file : body.error.message))).toEqual(order)
    const current = (await harness.call('project.current')).body.value
    expect(current.file).toBe(order[order.length - 1])
    expect((await harness.call('images.list', { offset: 0, limit: 5 })).body.value.total).toBe(1)
  })
})
