/** `labels.export` over HTTP: the export of the open project, its progress events, and its errors. */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLabelledProject, type LabelledProject } from '../formats/labelled-project'
import { type ServerHarness, startHarness } from './server-harness'
import { collectEvents } from './sse-collector'

let harness: ServerHarness
let source: LabelledProject
beforeAll(async () => {
  harness = await startHarness()
  source = await createLabelledProject(harness.folder)
  source.project.close()
  const opened = await harness.call('project.open', { projectFile: source.project.file })
  expect(opened.status).toBe(200)
})
afterAll(() => harness.stop())

describe('labels.export', () => {
  it('exports the open project and reports progress as events', async () => {
    const events = collectEvents(await harness.get('/events'))
    const out = join(harness.folder, 'voc-export')
    const result = await harness.call('labels.export', { format: 'voc', out, includeEmpty: true, split: 'train=0.5,val=0.5' })
    expect(result.status).toBe(200)
    const value = result.body.value
    expect(value).toMatchObject({ state: 'done', format: 'voc', folder: out, images: source.reviewed.size, classes: ['zebra', 'cat', 'bird 鳥', 'unused'] })
    expect(value.orientedImages.count).toBeGreaterThan(0)
    expect(value.orientedImages.note).toMatch(/OpenCV and Ultralytics apply it, PIL/)
    expect((await readdir(out)).sort()).toEqual(['Annotations', 'ImageSets', 'classes.txt'])
    const last = await events.waitFor((event) => event.type === 'labels.exportProgress' && event.progress.done === event.progress.total)
    expect(last).toEqual({ type: 'labels.exportProgress', progress: { done: source.reviewed.size, total: source.reviewed.size } })
    await events.close()
  })

  it('refuses a non-empty folder and a bad split with errors a person can act on', async () => {
    const busy = await harness.call('labels.export', { format: 'coco', out: harness.folder })
    expect(busy.body).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/is not empty/) } })
    const split = await harness.call('labels.export', { format: 'coco', out: join(harness.folder, 'x'), split: 'train=0.9' })
    expect(split.body).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/add up to 0.9, not 1/) } })
    expect((await harness.call('labels.cancelExport', {})).body).toEqual({ ok: true, value: null })
  })
})
