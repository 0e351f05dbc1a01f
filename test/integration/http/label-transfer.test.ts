/** Label export and import over HTTP: the open project's export with progress events, an import's preview and its write, and their errors. */
import { readdir, writeFile } from 'node:fs/promises'
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
    const finished = await events.waitFor((event) => event.type === 'job.finished' && event.job.kind === 'export')
    expect(finished).toMatchObject({ outcome: 'done', job: { title: `Exporting labels as Pascal VOC to ${out}`, projectFile: source.project.file } })
    const progress = events.events.flatMap((event) => (event.type === 'job.progress' ? [event.job.progress] : []))
    expect(progress.at(-1)).toMatchObject({ done: source.reviewed.size, total: source.reviewed.size, unit: 'images' })
    await events.close()
  })

  it('refuses a non-empty folder and a bad split with errors a person can act on', async () => {
    const busy = await harness.call('labels.export', { format: 'coco', out: harness.folder })
    expect(busy.body).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/is not empty/) } })
    const split = await harness.call('labels.export', { format: 'coco', out: join(harness.folder, 'x'), split: 'train=0.9' })
    expect(split.body).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/add up to 0.9, not 1/) } })
    expect((await harness.call('jobs.active', {})).body).toEqual({ ok: true, value: [] })
    expect((await harness.call('jobs.cancel', { jobId: 9999 })).body).toEqual({ ok: true, value: false })
  })
})

describe('labels.planImport and labels.import', () => {
  it('previews without writing, refuses new classes until allowed, then imports as told', async () => {
    const file = join(harness.folder, 'extra.json')
    await writeFile(
      file,
      JSON.stringify({
        images: [{ id: 1, file_name: 'nested/theta.png' }, { id: 2, file_name: 'nowhere.png' }],
        categories: [{ id: 1, name: 'okapi' }, { id: 2, name: 'cat' }],
        annotations: [
          { id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 5, 5] },
          { id: 2, image_id: 1, category_id: 2, bbox: [2, 2, 40, 5] },
          { id: 3, image_id: 2, category_id: 2, bbox: [1, 1, 5, 5] },
        ],
      }),
    )
    const args = { format: 'coco', input: file, markReviewed: true }
    const preview = await harness.call('labels.planImport', args)
    expect(preview.body.value).toEqual({
      imagesInFile: 2,
      imagesMatched: 1,
      labels: 2,
      boxesClipped: 1,
      boxesTooSmall: 0,
      boxesWithInvalidClass: 0,
      newClasses: ['okapi'],
      imagesKeptTouched: 0,
      problems: [
        {
          source: 'extra.json',
          item: 'nowhere.png',
          message: 'no project image matches "nowhere.png"; its 1 boxes are left out',
          // The key and values beside the English, for a window in another language.
          said: { key: 'importProblem.noImageMatches', values: { name: 'nowhere.png', boxes: 1 } },
        },
      ],
      problemCount: 1,
    })
    const refused = await harness.call('labels.import', args)
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/"okapi"/) } })
    expect((await harness.call('classes.list', {})).body.value.map((entry: { name: string }) => entry.name)).not.toContain('okapi')

    const events = collectEvents(await harness.get('/events'))
    const imported = await harness.call('labels.import', { ...args, addClasses: true })
    expect(imported.body.value).toEqual({
      imagesChanged: 1,
      labelsCreated: 2,
      labelsRemoved: 0,
      imagesKeptTouched: 0,
      duplicatesSkipped: 0,
      imagesMarkedReviewed: source.reviewed.has('nested/theta.png') ? 0 : 1,
      classesCreated: ['okapi'],
      problemCount: 1,
    })
    await events.waitFor((event) => event.type === 'images.changed')
    expect(events.events.filter((event) => event.type === 'labels.changed' || event.type === 'classes.changed').map((event) => event.type)).toEqual(['labels.changed', 'classes.changed'])
    await events.close()
    expect((await harness.call('classes.list', {})).body.value.map((entry: { name: string }) => entry.name)).toContain('okapi')
  })
})
