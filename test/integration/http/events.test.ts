import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import { createImageFolder } from '../../helpers/image-folder'
import { type ServerHarness, startHarness } from './server-harness'
import { collectEvents } from './sse-collector'

let harness: ServerHarness

beforeAll(async () => {
  harness = await startHarness()
})

afterAll(async () => {
  await harness.stop()
})

describe('server-sent events', () => {
  it('delivers project and image events to every connected client', async () => {
    const images = await createImageFolder(join(harness.folder, 'images'))
    const first = await harness.get('/events')
    const second = await harness.get('/events')
    expect(first.headers.get('content-type')).toContain('text/event-stream')
    const firstEvents = collectEvents(first)
    const secondEvents = collectEvents(second)

    const created = await harness.call('project.create', { imageFolder: images.root })
    await harness.call('project.close', {})

    const closed = (event: ApiEvent) => event.type === 'project.changed' && event.project === null
    await Promise.all([firstEvents.waitFor(closed), secondEvents.waitFor(closed)])
    await Promise.all([firstEvents.close(), secondEvents.close()])
    const withoutScanJob = (events: ApiEvent[]) => events.filter((event) => !event.type.startsWith('job.'))
    const expected = [
      { type: 'project.changed', project: expect.objectContaining({ file: created.body.value.file }) },
      { type: 'images.changed' },
      { type: 'project.changed', project: null },
    ]
    expect(withoutScanJob(firstEvents.events)).toEqual(expected)
    expect(withoutScanJob(secondEvents.events)).toEqual(expected)
    const scanEvents = firstEvents.events.filter((event) => event.type.startsWith('job.'))
    expect(scanEvents.map((event) => event.type)[0]).toBe('job.started')
    expect(scanEvents.at(-1)).toEqual({
      type: 'job.finished',
      outcome: 'done',
      job: {
        id: expect.any(Number),
        kind: 'scan',
        title: `Reading the images of ${images.root}`,
        titleSaid: { key: 'jobs.readingImages', values: { folder: images.root } },
        projectFile: created.body.value.file,
        startedAt: expect.any(String),
        progress: { done: expect.any(Number), total: expect.any(Number), unit: 'files', perSecond: expect.toBeOneOf([expect.any(Number), null]), etaSeconds: 0 },
        cancellable: true,
      },
    })
  })

  it("carries an edit's, an undo's and a redo's changeId back in its labels.changed event", async () => {
    const images = await createImageFolder(join(harness.folder, 'change-ids'))
    await harness.call('project.create', { imageFolder: images.root })
    const grid = await harness.call('images.grid', { offset: 0, limit: 1 })
    const imageId = grid.body.value.items[0].id as number
    const classId = (await harness.call('classes.create', { name: 'car' })).body.value.id as number
    const stream = collectEvents(await harness.get('/events'))
    const editorId = 'window-aaaaaaaa'
    const edit = await harness.call('labels.edit', {
      editorId,
      changeId: 'edit-0123456789',
      imageId,
      command: 'draw',
      changes: [{ op: 'create', classId, box: [1, 1, 9, 9] }],
    })
    expect(edit.body.ok).toBe(true)
    await harness.call('labels.undo', { editorId, changeId: 'undo-0123456789' })
    await harness.call('labels.redo', { editorId })
    const changes = (event: ApiEvent) => event.type === 'labels.changed'
    await stream.waitFor((event) => changes(event) && !('changeId' in event))
    await stream.close()
    expect(stream.events.filter(changes)).toEqual([
      { type: 'labels.changed', imageIds: [imageId], changeId: 'edit-0123456789' },
      { type: 'labels.changed', imageIds: [imageId], changeId: 'undo-0123456789' },
      { type: 'labels.changed', imageIds: [imageId] },
    ])
    const refused = await harness.call('labels.undo', { editorId, changeId: 'a b' })
    expect(refused.body.ok).toBe(false)
    expect(refused.body.error.code).toBe('invalid-argument')
    await harness.call('project.close', {})
  })

  it('stops sending to a client that disconnected', async () => {
    const response = await harness.get('/events')
    await collectEvents(response).close()
    const hub = harness.server.context.events
    // The server notices the closed socket asynchronously.
    for (let attempt = 0; attempt < 100 && hub.listenerCount > 0; attempt++) await new Promise((r) => setTimeout(r, 20))
    expect(hub.listenerCount).toBe(0)
  })
})
