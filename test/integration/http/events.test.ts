import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import { createImageFolder } from '../../helpers/image-folder'
import { type ServerHarness, startHarness } from './server-harness'

let harness: ServerHarness

beforeAll(async () => {
  harness = await startHarness()
})

afterAll(async () => {
  await harness.stop()
})

/** Reads SSE `data:` messages until `count` events other than scan progress arrived. */
async function readEvents(response: Response, count: number, progress: ApiEvent[] = []): Promise<ApiEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: ApiEvent[] = []
  let buffered = ''
  while (events.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    buffered += value
    let boundary
    while ((boundary = buffered.indexOf('\n\n')) >= 0) {
      const message = buffered.slice(0, boundary)
      buffered = buffered.slice(boundary + 2)
      for (const line of message.split('\n')) {
        if (!line.startsWith('data: ')) continue
        const event = JSON.parse(line.slice(6)) as ApiEvent
        if (event.type === 'scan.progress') progress.push(event)
        else events.push(event)
      }
    }
  }
  await reader.cancel()
  return events
}

describe('server-sent events', () => {
  it('delivers project and image events to every connected client', async () => {
    const images = await createImageFolder(join(harness.folder, 'images'))
    const first = await harness.get('/events')
    const second = await harness.get('/events')
    expect(first.headers.get('content-type')).toContain('text/event-stream')
    const progress: ApiEvent[] = []
    const firstEvents = readEvents(first, 3, progress)
    const secondEvents = readEvents(second, 3)

    const created = await harness.call('project.create', { imageFolder: images.root })
    await harness.call('project.close', {})

    const expected = [
      { type: 'project.changed', project: expect.objectContaining({ file: created.body.value.file }) },
      { type: 'images.changed' },
      { type: 'project.changed', project: null },
    ]
    expect(await firstEvents).toEqual(expected)
    expect(await secondEvents).toEqual(expected)
    expect(progress.at(-1)).toEqual({
      type: 'scan.progress',
      imageFolder: images.root,
      examined: expect.any(Number),
      total: expect.any(Number),
    })
  })

  it('stops sending to a client that disconnected', async () => {
    const response = await harness.get('/events')
    await readEvents(response, 0)
    const hub = harness.server.context.events
    // The server notices the closed socket asynchronously.
    for (let attempt = 0; attempt < 100 && hub.listenerCount > 0; attempt++) await new Promise((r) => setTimeout(r, 20))
    expect(hub.listenerCount).toBe(0)
  })
})
