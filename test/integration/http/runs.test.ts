import { copyFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import type { GridImage, GridPage, ProjectClass, RescanSummary, RunProgress, RunSummary } from '@shared/api/types'
import { checkResults, copyFixtureImages, fixtureModel, withDatabase } from '../jobs/project-fixture'
import { type ServerHarness, startHarness } from './server-harness'
import { collectEvents, type EventCollector } from './sse-collector'

const IMAGE_COUNT = 40
/** Overwritten with garbage after the scan, so the run (not the scan) meets it. */
const CORRUPT_IMAGE = 'img-007.png'

let harness: ServerHarness
let stream: EventCollector
let imageFolder: string
/** The image files, sorted (the project file lives in the same folder). */
let imageNames: string[]
let projectFile: string

type EventOf<T extends ApiEvent['type']> = Extract<ApiEvent, { type: T }>
const ofType =
  <T extends ApiEvent['type']>(type: T, runId?: number) =>
  (event: ApiEvent): event is EventOf<T> =>
    event.type === type && (runId === undefined || !('run' in event) || event.run.id === runId)

async function value<T>(method: string, args: unknown = {}): Promise<T> {
  const { status, body } = await harness.call(method, args)
  if (status !== 200 || !body.ok) throw new Error(`${method} failed (${status}): ${JSON.stringify(body)}`)
  return body.value as T
}

async function grid(filter?: unknown): Promise<GridPage> {
  return value<GridPage>('images.grid', { offset: 0, limit: 1000, ...(filter === undefined ? {} : { filter }) })
}

function progressOf(runId: number, from = 0): RunProgress[] {
  return stream.events
    .slice(from)
    .filter(ofType('run.progress'))
    .map((event) => event.progress)
    .filter((progress) => progress.runId === runId)
}

function expectNeverBackwards(progress: RunProgress[]): void {
  for (let index = 1; index < progress.length; index++) {
    expect(progress[index]!.processed).toBeGreaterThanOrEqual(progress[index - 1]!.processed)
    expect(progress[index]!.saved).toBeGreaterThanOrEqual(progress[index - 1]!.saved)
  }
}

beforeAll(async () => {
  harness = await startHarness()
  // What `serve --model` does: runs that name no model use this one.
  harness.server.context.runs.defaultModelPath = fixtureModel
  stream = collectEvents(await harness.get('/events'))
  imageFolder = join(harness.folder, 'images')
  imageNames = copyFixtureImages(imageFolder, IMAGE_COUNT)
  const created = await value<{ file: string; imageCount: number }>('project.create', { imageFolder })
  expect(created.imageCount).toBe(IMAGE_COUNT)
  projectFile = created.file
  writeFileSync(join(imageFolder, CORRUPT_IMAGE), Buffer.from('\x89PNG\r\n\x1a\n but then nothing an image needs'))
}, 60_000)

afterAll(async () => {
  await harness.server.context.runs.idle()
  await stream.close()
  await harness.stop()
})

describe('detection runs over HTTP', () => {
  it('refuses a model file that does not exist, with a message that names it', async () => {
    const missing = join(harness.folder, 'no-such-model.onnx')
    const { body } = await harness.call('runs.start', { scope: 'all', modelPath: missing })
    expect(body.ok).toBe(false)
    expect(body.error.code).toBe('not-found')
    expect(body.error.message).toContain(missing)
    expect(await value<RunSummary[]>('runs.list')).toEqual([])

    const runs = harness.server.context.runs
    runs.defaultModelPath = join(harness.folder, 'moved-away.onnx')
    try {
      const noDefault = await harness.call('runs.start', { scope: 'all' })
      expect(noDefault.body.error).toEqual({
        code: 'not-found',
        message: expect.stringContaining(runs.defaultModelPath),
        said: { key: 'run.startModelMissing', values: { model: runs.defaultModelPath } },
      })
      expect(noDefault.body.error.message).toMatch(/model this app was started with is missing/)
    } finally {
      runs.defaultModelPath = fixtureModel
    }
  })

  it('refuses a file that is not a model, before any run row is written', async () => {
    const notAModel = join(harness.folder, 'not-a-model.onnx')
    writeFileSync(notAModel, 'this is text, not ONNX')
    copyFileSync(fixtureModel.replace(/\.onnx$/, '.json'), notAModel.replace(/\.onnx$/, '.json'))
    const { body } = await harness.call('runs.start', { scope: 'all', modelPath: notAModel })
    expect(body.ok).toBe(false)
    expect(body.error.message).toMatch(/could not start|model/i)
    expect(await value<RunSummary[]>('runs.list')).toEqual([])
    expect(await value<RunProgress | null>('runs.active')).toBeNull()
  }, 60_000)

  it('runs over every image, streams started/progress/finished events, and refuses a second run meanwhile', async () => {
    const from = stream.events.length
    const started = await value<RunSummary>('runs.start', { scope: 'unprocessed', decodeCutoff: 0.05 })
    expect(started).toMatchObject({ state: 'running', scope: 'unprocessed', modelPath: fixtureModel, finishedAt: null })
    expect(started.providerUsed).toMatch(/^(cpu|cuda|webgpu)$/)
    expect(started.providerDevice).toEqual(expect.any(String))
    // Each provider passed by is named with its reason, and the run record keeps them in one line.
    expect(started.providerSkipped.map((skipped) => skipped.provider)).not.toContain(started.providerUsed)
    expect(started.providerFallbackReason === null).toBe(started.providerSkipped.length === 0)

    const second = await harness.call('runs.start', { scope: 'all' })
    expect(second.body.ok).toBe(false)
    expect(second.body.error.code).toBe('conflict')

    const finished = await stream.waitFor(ofType('run.finished', started.id), from)
    expect(finished.run).toMatchObject({ id: started.id, state: 'done', imagesDone: IMAGE_COUNT, imagesFailed: 1 })
    expect(finished.run.finishedAt).not.toBeNull()

    const startedEvent = await stream.waitFor(ofType('run.started', started.id), from)
    expect(startedEvent.run.id).toBe(started.id)
    const progress = progressOf(started.id, from)
    expect(progress.length).toBeGreaterThan(0)
    expectNeverBackwards(progress)
    expect(progress.at(-1)).toMatchObject({ processed: IMAGE_COUNT, saved: IMAGE_COUNT, total: IMAGE_COUNT, errors: 1 })
    expect(progress.at(-1)!.detections).toBe(finished.run.detectionCount)

    const failed = stream.events.slice(from).filter(ofType('run.imageFailed'))
    expect(failed).toEqual([
      { type: 'run.imageFailed', projectFile, runId: started.id, relativePath: CORRUPT_IMAGE, message: expect.any(String) },
    ])
    // Grids refresh while results are saved, and once more at the end.
    const lastChange = stream.events.slice(from).map((event) => event.type).lastIndexOf('images.changed')
    expect(lastChange).toBeGreaterThan(stream.events.slice(from).findIndex(ofType('run.started')))
    expect(await value<RunProgress | null>('runs.active')).toBeNull()
  }, 120_000)

  it('shows statuses, errors and label counts in the grid, with working filters', async () => {
    const all = await grid()
    expect(all.total).toBe(IMAGE_COUNT)
    const byPath = new Map(all.items.map((item) => [item.relativePath, item]))
    const corrupt = byPath.get(CORRUPT_IMAGE)!
    expect(corrupt).toMatchObject({ status: 'error', missing: false, labelCount: 0 })
    expect(corrupt.errorMessage).toBeTruthy()
    const failed = stream.events.find(ofType('run.imageFailed'))!
    expect(corrupt.errorMessage).toBe(failed.message)
    for (const item of all.items.filter((image) => image.relativePath !== CORRUPT_IMAGE)) {
      expect(item).toMatchObject({ status: 'detected', errorMessage: null })
    }

    expect((await grid({ hasErrors: true })).items.map((item) => item.relativePath)).toEqual([CORRUPT_IMAGE])
    expect((await grid({ statuses: ['detected'] })).total).toBe(IMAGE_COUNT - 1)
    expect((await grid({ statuses: ['new', 'reviewed'] })).total).toBe(0)
    expect((await grid({ statuses: ['new', 'error'] })).total).toBe(1)

    const labelled = all.items.filter((item) => item.labelCount > 0)
    expect(labelled.length).toBeGreaterThan(0)
    const classes = await value<ProjectClass[]>('classes.list')
    expect(classes.map((entry) => entry.name)).toEqual(['circle', 'square', 'triangle', 'star', 'cross'])
    for (const entry of classes) {
      const withClass = await grid({ classId: entry.id })
      for (const item of withClass.items) expect(item.labelCount).toBeGreaterThan(0)
      expect(withClass.total).toBe(withClass.items.length)
    }
    const union = new Set<number>()
    for (const entry of classes) for (const item of (await grid({ classId: entry.id })).items) union.add(item.id)
    expect(union.size).toBe(labelled.length)
    // A class filter combines with a status filter.
    expect((await grid({ classId: classes[0]!.id, hasErrors: true })).total).toBe(0)
  })

  it('returns the boxes of an image inside the image, from its latest run', async () => {
    const runs = await value<RunSummary[]>('runs.list')
    const { items } = await grid()
    let boxes = 0
    for (const image of items) {
      const result = await value<{ imageId: number; runId: number | null; detections: Array<{ box: number[]; score: number; classId: number }> }>(
        'detections.forImage',
        { imageId: image.id },
      )
      expect(result.imageId).toBe(image.id)
      if (image.relativePath === CORRUPT_IMAGE) {
        expect(result).toEqual({ imageId: image.id, runId: null, detections: [] })
        continue
      }
      expect(result.runId).toBe(runs[0]!.id)
      for (const { box, score } of result.detections) {
        const [x1, y1, x2, y2] = box as [number, number, number, number]
        expect(0 <= x1 && x1 <= x2 && x2 <= image.width).toBe(true)
        expect(0 <= y1 && y1 <= y2 && y2 <= image.height).toBe(true)
        expect(score).toBeGreaterThanOrEqual(0.05)
      }
      boxes += result.detections.length
    }
    expect(boxes).toBe(runs[0]!.detectionCount)
    const missing = await harness.call('detections.forImage', { imageId: 999_999 })
    expect(missing.body.error.code).toBe('not-found')
  })

  it('counts images by status and current detections in project.stats and classes.list', async () => {
    const stats = await value<{ imagesByStatus: Record<string, number>; missingImages: number; detectionCount: number }>('project.stats')
    expect(stats.imagesByStatus).toEqual({ new: 0, detected: IMAGE_COUNT - 1, reviewed: 0, error: 1 })
    expect(stats.missingImages).toBe(0)
    const [latest] = await value<RunSummary[]>('runs.list')
    expect(stats.detectionCount).toBe(latest!.detectionCount)
    const classes = await value<ProjectClass[]>('classes.list')
    expect(classes.reduce((sum, entry) => sum + entry.detectionCount, 0)).toBe(stats.detectionCount)
  })

  it('cancels a run mid-way, and a resume finishes it without recording any image twice', async () => {
    const from = stream.events.length
    const started = await value<RunSummary>('runs.start', { scope: 'all' })
    expect(await value<null>('runs.cancel', { runId: started.id })).toBeNull()
    const cancelled = await stream.waitFor(ofType('run.finished', started.id), from)
    expect(cancelled.run.state).toBe('cancelled')
    expect(cancelled.run.imagesDone).toBeLessThan(IMAGE_COUNT)
    const again = await harness.call('runs.cancel', { runId: started.id })
    expect(again.body.error.code).toBe('conflict')

    const resumeFrom = stream.events.length
    const resumed = await value<RunSummary>('runs.resume', { runId: started.id })
    expect(resumed).toMatchObject({ id: started.id, state: 'running' })
    const done = await stream.waitFor(ofType('run.finished', started.id), resumeFrom)
    expect(done.run).toMatchObject({ id: started.id, state: 'done', imagesDone: IMAGE_COUNT, imagesFailed: 1 })
    const progress = progressOf(started.id, resumeFrom)
    expectNeverBackwards(progress)
    expect(progress[0]!.processed).toBeGreaterThanOrEqual(cancelled.run.imagesDone)
    expect(progress.at(-1)).toMatchObject({ processed: IMAGE_COUNT, total: IMAGE_COUNT })

    const runs = await value<RunSummary[]>('runs.list')
    expect(runs.map((run) => run.id)).toEqual([started.id, started.id - 1])
    withDatabase(projectFile, (db) => {
      const perRun = db.prepare('SELECT run_id, image_id, count(*) AS n FROM run_images GROUP BY run_id, image_id HAVING n > 1').all()
      expect(perRun).toEqual([])
      for (const check of checkResults(db)) expect(check.actualDetections).toBe(check.recordedCount)
    })
    const finished = await harness.call('runs.resume', { runId: started.id })
    expect(finished.body.error.code).toBe('conflict')
  }, 120_000)

  it('is a job too: its progress in images, and the jobs tray’s Cancel stops the run as runs.cancel does', async () => {
    const from = stream.events.length
    const started = await value<RunSummary>('runs.start', { scope: 'all' })
    const jobStarted = await stream.waitFor((event): event is EventOf<'job.started'> => event.type === 'job.started' && event.job.kind === 'detection', from)
    expect(jobStarted.job).toMatchObject({ projectFile, cancellable: true, title: expect.stringMatching(/^Detecting objects with .+\.onnx$/) })
    const jobs = await value<Array<{ id: number; kind: string }>>('jobs.active')
    expect(jobs.filter((job) => job.kind === 'detection').map((job) => job.id)).toEqual([jobStarted.job.id])
    await stream.waitFor((event) => event.type === 'job.progress' && event.job.id === jobStarted.job.id && (event.job.progress?.done ?? 0) > 0, from)
    expect(await value<boolean>('jobs.cancel', { jobId: jobStarted.job.id })).toBe(true)

    const runFinished = await stream.waitFor(ofType('run.finished', started.id), from)
    expect(runFinished.run.state).toBe('cancelled')
    const jobFinished = await stream.waitFor((event): event is EventOf<'job.finished'> => event.type === 'job.finished' && event.job.id === jobStarted.job.id, from)
    expect(jobFinished).toMatchObject({ outcome: 'cancelled', job: { progress: { total: IMAGE_COUNT, unit: 'images' } } })
    expect(await value<unknown[]>('jobs.active')).toEqual([])

    // Resumed, it finishes; its job ends done.
    const resumeFrom = stream.events.length
    await value<RunSummary>('runs.resume', { runId: started.id })
    const done = await stream.waitFor((event): event is EventOf<'job.finished'> => event.type === 'job.finished' && event.job.kind === 'detection', resumeFrom)
    expect(done).toMatchObject({ outcome: 'done', job: { title: `Resuming detection run ${started.id}`, progress: { done: IMAGE_COUNT, total: IMAGE_COUNT } } })
  }, 120_000)

  it('rescans: adds new files, marks deleted ones missing, and sends changed ones back to new', async () => {
    const names = imageNames
    const deleted = names[0]!
    const changed = names[1]!
    const kept = join(harness.folder, 'kept-aside')
    const deletedTimes = statSync(join(imageFolder, deleted))
    copyFileSync(join(imageFolder, deleted), kept)
    rmSync(join(imageFolder, deleted))
    copyFileSync(join(imageFolder, names[2]!), join(imageFolder, 'added.png'))
    // A different image under the same name: size (and mtime) differ.
    copyFileSync(join(imageFolder, names.slice(2).find((name) => name.endsWith('.jpg'))!), join(imageFolder, changed))
    const before = await grid()
    const changedBefore = before.items.find((item) => item.relativePath === changed)!

    const from = stream.events.length
    const report = await value<RescanSummary>('project.rescan')
    // The corrupt image is still there: reported as skipped, neither missing nor changed.
    expect(report).toMatchObject({ imageCount: IMAGE_COUNT - 1, skippedCount: 1, addedCount: 1, changedCount: 1, missingCount: 1, reappearedCount: 0 })
    expect(report.skipped).toEqual([{ relativePath: CORRUPT_IMAGE, reason: expect.any(String) }])
    await stream.waitFor(ofType('images.changed'), from)

    const after = await grid()
    expect(after.total).toBe(IMAGE_COUNT + 1)
    const byPath = new Map<string, GridImage>(after.items.map((item) => [item.relativePath, item]))
    expect(byPath.get(deleted)).toMatchObject({ missing: true })
    expect(byPath.get('added.png')).toMatchObject({ status: 'new', missing: false, labelCount: 0 })
    expect(byPath.get(changed)).toMatchObject({ id: changedBefore.id, status: 'new', missing: false })
    expect(byPath.get(changed)!.fileSize).not.toBe(changedBefore.fileSize)
    const stats = await value<{ missingImages: number; imagesByStatus: Record<string, number> }>('project.stats')
    expect(stats.missingImages).toBe(1)
    expect(stats.imagesByStatus.new).toBe(2)

    // Nothing changed since: a second rescan changes nothing; the file coming back clears the mark.
    expect(await value('project.rescan')).toMatchObject({ addedCount: 0, changedCount: 0, missingCount: 0, reappearedCount: 0 })
    copyFileSync(kept, join(imageFolder, deleted))
    // Back exactly as the project knows it (the project keeps whole milliseconds).
    utimesSync(join(imageFolder, deleted), deletedTimes.atime, (Math.trunc(deletedTimes.mtimeMs) + 0.5) / 1000)
    expect(await value('project.rescan')).toMatchObject({ addedCount: 0, changedCount: 0, missingCount: 0, reappearedCount: 1 })
    expect((await grid()).items.find((item) => item.relativePath === deleted)).toMatchObject({ missing: false, status: 'detected' })

    // An unprocessed-scope run now takes exactly the new, changed and failed images.
    const runFrom = stream.events.length
    const run = await value<RunSummary>('runs.start', { scope: 'unprocessed' })
    const finished = await stream.waitFor(ofType('run.finished', run.id), runFrom)
    expect(finished.run.imagesDone).toBe(3)
  }, 120_000)

  it('marks a run left running by a crash as interrupted when the project is opened again', async () => {
    await value('project.close')
    withDatabase(projectFile, (db) => {
      db.prepare(`UPDATE runs SET state = 'running', finished_at = NULL WHERE id = (SELECT max(id) FROM runs)`).run()
    })
    await value('project.open', { projectFile })
    const [latest] = await value<RunSummary[]>('runs.list')
    expect(latest!.state).toBe('failed')
    expect(latest!.errorMessage).toMatch(/interrupted/)
  })

  it('stops a run when its project is closed', async () => {
    const from = stream.events.length
    const started = await value<RunSummary>('runs.start', { scope: 'all' })
    await value('project.close')
    const finished = await stream.waitFor(ofType('run.finished', started.id), from)
    expect(finished.run.state).toBe('cancelled')
    await harness.server.context.runs.idle()
    withDatabase(projectFile, (db) => {
      expect(db.prepare('SELECT state FROM runs WHERE id = ?').pluck().get(started.id)).toBe('cancelled')
    })
    const noProject = await harness.call('runs.list')
    expect(noProject.body.error.code).toBe('no-project')
  }, 120_000)
})
