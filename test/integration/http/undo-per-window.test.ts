import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EditHistoryState, EditOutcome, ImageLabels } from '@shared/api/label-types'
import type { GridImage, GridPage, ProjectClass } from '@shared/api/types'
import { copyFixtureImages } from '../jobs/project-fixture'
import { type ServerHarness, startHarness } from './server-harness'

/** Two browser tabs on one `serve` instance, as each keeps its identity in sessionStorage. */
const TAB_A = 'a1b2c3d4e5f60718'
const TAB_B = 'b1b2c3d4e5f60718'

let harness: ServerHarness
let image: GridImage
let classId: number

async function value<T>(method: string, args: unknown = {}): Promise<T> {
  const { status, body } = await harness.call(method, args)
  if (status !== 200 || !body.ok) throw new Error(`${method} failed (${status}): ${JSON.stringify(body)}`)
  return body.value as T
}

beforeAll(async () => {
  harness = await startHarness()
  const imageFolder = join(harness.folder, 'images')
  copyFixtureImages(imageFolder, 2)
  await value('project.create', { imageFolder })
  image = (await value<GridPage>('images.grid', { offset: 0, limit: 10 })).items[0]!
  classId = (await value<ProjectClass>('classes.create', { name: 'cat' })).id
}, 60_000)

afterAll(async () => {
  await harness.stop()
})

describe('undo per window over HTTP', () => {
  it("undoes only the calling tab's edits, and refuses one the other tab changed since", async () => {
    const drawn = await value<EditOutcome>('labels.edit', {
      editorId: TAB_A,
      imageId: image.id,
      command: 'draw',
      changes: [{ op: 'create', classId, box: [1, 1, 5, 5] }],
    })
    const labelId = drawn.createdLabelIds[0]!
    await value('labels.edit', { editorId: TAB_B, imageId: image.id, command: 'delete', changes: [{ op: 'delete', labelId }] })

    // Tab A's Ctrl+Z must not bring back the box tab B deleted, nor delete anything of B's.
    const { body } = await harness.call('labels.undo', { editorId: TAB_A })
    expect(body.ok).toBe(false)
    expect(body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('another window changed label') })
    expect((await value<ImageLabels>('labels.forImage', { imageId: image.id })).labels).toEqual([])
    expect(await value<EditHistoryState>('labels.history', { editorId: TAB_A })).toEqual({ undo: null, redo: null })

    // Tab B's own undo brings its deleted box back.
    const restored = await value<EditOutcome>('labels.undo', { editorId: TAB_B })
    expect(restored.labels.labels.map((label) => label.id)).toEqual([labelId])
    expect(restored.history).toEqual({ undo: null, redo: { command: 'delete', imageId: image.id } })
  })

  it('refuses an editor identity that is not one', async () => {
    const { body } = await harness.call('labels.undo', { editorId: 'x' })
    expect(body).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
  })
})
