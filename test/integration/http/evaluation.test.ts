/**
 * Evaluation over HTTP on a real project: images in two folders, a real run of the tiny model,
 * labels corrected through the API so that there are false positives, missed labels and wrong
 * classes, then the report checked against `project eval --json` on the same file, every cell
 * against the images behind it and against one image judged at a time, the folder and compare
 * scopes, hostile arguments, and the cache against an edit, a review and a run.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationImages, EvaluationReport, ImageEvaluation, RunEvaluation } from '@shared/api/evaluation-types'
import type { ImageLabels } from '@shared/api/label-types'
import type { GridImage, GridPage, ImageDetections, ProjectClass, RunSummary } from '@shared/api/types'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { listClasses } from '../../../src-main/core/db/classes-repository'
import { listDetections } from '../../../src-main/core/db/detections-repository'
import { evaluateCoco } from '../../../src-main/core/metrics/coco-evaluation'
import { readCocoEvaluationFiles } from '../../../src-main/core/metrics/coco-files'
import { toXywh } from '../../../src-shared/geometry/box'
import { runCli } from '../jobs/cli-child'
import { copyFixtureImages, fixtureModel, withDatabase } from '../jobs/project-fixture'
import { type ServerHarness, startHarness } from './server-harness'
import { collectEvents, type EventCollector } from './sse-collector'

let harness: ServerHarness
let stream: EventCollector
let projectFile: string
let imageFolder: string
let images: GridImage[]
let classes: ProjectClass[]

async function value<T>(method: string, args: unknown = {}): Promise<T> {
  const { status, body } = await harness.call(method, args)
  if (status !== 200 || !body.ok) throw new Error(`${method} failed (${status}): ${JSON.stringify(body)}`)
  return body.value as T
}

async function failure(method: string, args: unknown): Promise<{ code: string; message: string }> {
  const { body } = await harness.call(method, args)
  expect(body.ok, JSON.stringify(args)).toBe(false)
  return body.error
}

async function runToEnd(args: unknown): Promise<RunSummary> {
  const started = await value<RunSummary>('runs.start', args)
  await stream.waitFor((event) => event.type === 'run.finished' && event.run.id === started.id)
  return started
}

async function cliReport(...args: string[]): Promise<any> {
  const result = await runCli(['project', 'eval', projectFile, '--json', ...args])
  expect(result.code, result.stderr).toBe(0)
  return JSON.parse(result.stdout)
}

const labelsOf = (imageId: number) => value<ImageLabels>('labels.forImage', { imageId })
const edit = (imageId: number, command: string, changes: unknown[]) => value('labels.edit', { imageId, command, changes })

beforeAll(async () => {
  harness = await startHarness()
  harness.server.context.runs.defaultModelPath = fixtureModel
  stream = collectEvents(await harness.get('/events'))
  imageFolder = join(harness.folder, 'images')
  copyFixtureImages(join(imageFolder, 'north'), 5)
  copyFixtureImages(join(imageFolder, 'south'), 4)
  projectFile = (await value<{ file: string }>('project.create', { imageFolder })).file
  await runToEnd({ scope: 'all' })
  images = (await value<GridPage>('images.grid', { offset: 0, limit: 100 })).items
  classes = await value<ProjectClass[]>('classes.list')

  // Labels at the median detection score, so that every image has some.
  const scores = (await Promise.all(images.map((image) => value<ImageDetections>('detections.forImage', { imageId: image.id })))).flatMap((entry) => entry.detections.map((d) => d.score))
  const median = [...scores].sort((a, b) => a - b)[Math.floor(scores.length / 2)]!
  await value('labelThresholds.set', { score: median })

  // Corrections: a label relabelled (a wrong class), one deleted (a background detection), one drawn where the model found nothing (missed).
  const withLabels = []
  for (const image of images) if ((await labelsOf(image.id)).labels.length > 0) withLabels.push(image)
  expect(withLabels.length).toBeGreaterThanOrEqual(3)
  const [relabelled, deleted, drawn] = withLabels as [GridImage, GridImage, GridImage]
  const toRelabel = (await labelsOf(relabelled.id)).labels[0]!
  const otherClass = classes.find((entry) => entry.id !== toRelabel.classId)!
  await edit(relabelled.id, 'relabel', [{ op: 'update', labelId: toRelabel.id, classId: otherClass.id, box: toRelabel.box }])
  await edit(deleted.id, 'delete', [{ op: 'delete', labelId: (await labelsOf(deleted.id)).labels[0]!.id }])
  await edit(drawn.id, 'draw', [{ op: 'create', classId: classes[0]!.id, box: [0, 0, 3, 3] }])
  // Reviewed: every image but the last of each folder.
  for (const image of images.filter((entry) => !['north/img-004.png', 'south/img-003.png'].includes(entry.relativePath.replace(/\.\w+$/, '.png')))) {
    await value('images.setReviewed', { imageId: image.id, reviewed: true })
  }
}, 180_000)

afterAll(async () => {
  await harness.server.context.runs.idle()
  await stream.close()
  await harness.stop()
})

/** The run's summary on the reviewed images through the COCO file reader (the parity path), not the evaluation's query. */
function parityPathSummary(runId: number): Record<string, number> {
  return withDatabase(projectFile, (db) => {
    const imageIds = db.prepare(`SELECT id FROM images WHERE status = 'reviewed' ORDER BY id`).pluck().all() as number[]
    const groundTruth = {
      images: imageIds.map((id) => ({ id })),
      annotations: imageIds.flatMap((imageId) => listAnnotations(db, imageId).map((a) => ({ image_id: imageId, category_id: a.classId, bbox: toXywh(a.box) }))),
      categories: listClasses(db).map((entry) => ({ id: entry.id, name: entry.name })),
    }
    const results = imageIds.flatMap((imageId) => listDetections(db, runId, imageId).map((d) => ({ image_id: imageId, category_id: d.classId, bbox: toXywh(d.box), score: d.score })))
    return evaluateCoco(readCocoEvaluationFiles(groundTruth, results).input).summary
  })
}

/** The CLI's per-class figures, as the report carries them. */
function cliFigures(run: RunEvaluation) {
  return run.perClass.map(({ classId, name, labelThreshold, AP, AP50, labels, detections, truePositives, falsePositives, falseNegatives, precision, recall, suggestedThresholds }) => ({
    id: classId, name, labelThreshold, AP, AP50, labels, detections, truePositives, falsePositives, falseNegatives, precision, recall, suggestedThresholds,
  }))
}

describe('evaluation over HTTP', () => {
  let report: EvaluationReport

  it('reports what `project eval --json` reports on the same file', async () => {
    report = await value<EvaluationReport>('evaluation.evaluate', { runId: 1 })
    const cli = await cliReport('--run', '1')
    expect(report.images).toBe(cli.images)
    expect(report.images).toBe(7)
    expect(report.reviewedWithoutResult).toBe(cli.reviewedImagesWithoutResult)
    expect(report.primary.summary).toEqual(cli.summary)
    const parity = parityPathSummary(1)
    for (const [key, number] of Object.entries(report.primary.summary)) expect(number, key).toBeCloseTo(parity[key]!, 12)
    expect(report.primary.operatingPoint).toEqual(cli.operatingPoint)
    expect(cliFigures(report.primary)).toEqual(cli.perClass)
    const { rows, columns, counts } = report.primary.confusion
    expect({ rows, columns, counts }).toEqual({ rows: cli.confusion.rows, columns: cli.confusion.columns, counts: cli.confusion.counts })
    const { editSpanSeconds, reviewSeconds, ...effort } = report.primary.effort
    expect({ ...effort, editSpanSeconds: { median: editSpanSeconds.median, total: editSpanSeconds.total } }).toEqual(cli.effort)
    // Every reviewed image after the first, a few seconds apart at most (two marked within the
    // same millisecond count as marked together, and not at all).
    expect(reviewSeconds.count).toBeGreaterThan(0)
    expect(reviewSeconds.count).toBeLessThanOrEqual(6)
    expect(report.comparison).toBeNull()
    expect(report.folders).toEqual([
      { folder: '', reviewedImages: 7 },
      { folder: 'north', reviewedImages: 4 },
      { folder: 'south', reviewedImages: 3 },
    ])

    // The corrections show: a wrong class off the diagonal, background detections, a missed label.
    const K = report.primary.confusion.classIds.length
    const offDiagonal = counts.slice(0, K).reduce((sum, row, r) => sum + row.slice(0, K).reduce((s, n, c) => s + (r === c ? 0 : n), 0), 0)
    expect(offDiagonal).toBeGreaterThan(0)
    expect(counts[K]!.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0)
    expect(counts.slice(0, K).reduce((sum, row) => sum + row[K]!, 0)).toBeGreaterThan(0)
    expect(report.primary.perClass.map((entry) => entry.color)).toEqual(report.primary.confusion.classIds.map((id) => classes.find((entry) => entry.id === id)!.color))
  }, 60_000)

  it('lists the images behind every cell, adding up to the cell, box for box as each image is judged alone', async () => {
    const { counts, classIds } = report.primary.confusion
    const K = classIds.length
    // Cells from one image judged at a time.
    const fromImages = counts.map((row) => row.map(() => new Map<number, number>()))
    const add = (row: number, column: number, imageId: number) => fromImages[row]![column]!.set(imageId, (fromImages[row]![column]!.get(imageId) ?? 0) + 1)
    for (const image of images) {
      const judged = await value<ImageEvaluation>('evaluation.forImage', { runId: 1, imageId: image.id })
      expect(judged.hasResult).toBe(true)
      if (!judged.reviewed) continue
      const labelClass = new Map((await labelsOf(image.id)).labels.map((label) => [label.id, label.classId]))
      for (const detection of judged.detections) {
        const column = classIds.indexOf(detection.classId)
        if (detection.verdict === 'truePositive') add(column, column, image.id)
        else if (detection.verdict === 'wrongClass') add(classIds.indexOf(labelClass.get(detection.labelId!)!), column, image.id)
        else add(K, column, image.id)
      }
      for (const missed of judged.missed) add(classIds.indexOf(missed.classId), K, image.id)
    }
    for (let row = 0; row <= K; row++) {
      for (let column = 0; column <= K; column++) {
        const behind = await value<EvaluationImages>('evaluation.images', { runId: 1, selection: { kind: 'cell', row, column } })
        expect(behind.boxes, `cell ${row}, ${column}`).toBe(counts[row]![column])
        expect(new Map(behind.images.map((image) => [image.imageId, image.boxes]))).toEqual(fromImages[row]![column])
        const order = behind.images.map((image) => [-image.boxes, image.relativePath] as const)
        expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)))
      }
    }
  }, 120_000)

  it('lists the detections behind each histogram bar and the labels missed at the label threshold', async () => {
    const bins = report.histogramBins
    for (const entry of report.primary.perClass) {
      for (const outcome of ['truePositive', 'falsePositive'] as const) {
        const bars = outcome === 'truePositive' ? entry.histogram.truePositives : entry.histogram.falsePositives
        for (let bin = 0; bin < bins; bin++) {
          if (bars[bin] === 0) continue
          const selection = { kind: 'detections', classId: entry.classId, outcome, minScore: bin / bins, maxScore: (bin + 1) / bins }
          expect((await value<EvaluationImages>('evaluation.images', { runId: 1, selection })).boxes).toBe(bars[bin])
        }
      }
      const missed = await value<EvaluationImages>('evaluation.images', { runId: 1, selection: { kind: 'missed', classId: entry.classId, minScore: entry.labelThreshold } })
      expect(missed.boxes).toBe(entry.falseNegatives)
    }
    const allFalse = report.primary.histogram.falsePositives.reduce((sum, n) => sum + n, 0)
    expect((await value<EvaluationImages>('evaluation.images', { runId: 1, selection: { kind: 'detections', classId: null, outcome: 'falsePositive', minScore: 0 } })).boxes).toBe(allFalse)
  }, 120_000)

  it('narrows to a folder as `project eval --folder` does', async () => {
    const north = await value<EvaluationReport>('evaluation.evaluate', { runId: 1, folder: 'north' })
    expect(north.images).toBe(4)
    expect(north.folder).toBe('north')
    const cli = await cliReport('--run', '1', '--folder', 'north')
    expect(north.primary.summary).toEqual(cli.summary)
    expect(north.primary.confusion.counts).toEqual(cli.confusion.counts)
    const cell = await value<EvaluationImages>('evaluation.images', { runId: 1, folder: 'north', selection: { kind: 'cell', row: 0, column: 0 } })
    expect(cell.boxes).toBe(north.primary.confusion.counts[0]![0])
    expect(cell.images.every((image) => image.relativePath.startsWith('north/'))).toBe(true)
    expect((await value<EvaluationReport>('evaluation.evaluate', { runId: 1, folder: 'nort' })).images).toBe(0)
  }, 60_000)

  it('refuses hostile or unknown arguments with a clear error', async () => {
    expect((await failure('evaluation.evaluate', { runId: 99 })).message).toMatch(/no run #99/)
    expect((await failure('evaluation.evaluate', { runId: 99 })).code).toBe('not-found')
    expect((await failure('evaluation.evaluate', { runId: 1, compareRunId: 99 })).code).toBe('not-found')
    for (const args of [{ runId: 1, folder: '../..' }, { runId: 1, folder: '/etc' }, { runId: '1' }, { runId: 1, compareRunId: 1 }, { runId: 1, targetPrecision: 2 }, { runId: 1, extra: true }]) {
      expect((await failure('evaluation.evaluate', args)).code, JSON.stringify(args)).toBe('invalid-argument')
    }
    const outOfRange = await failure('evaluation.images', { runId: 1, selection: { kind: 'cell', row: 50, column: 0 } })
    expect(outOfRange).toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/rows and columns 0 to \d+/) })
    expect((await failure('evaluation.images', { runId: 1, selection: { kind: 'missed', classId: 9999, minScore: 0 } })).code).toBe('not-found')
    expect((await failure('evaluation.images', { runId: 1, selection: { kind: 'cell', row: 0 } })).code).toBe('invalid-argument')
    expect((await failure('evaluation.forImage', { runId: 1, imageId: 9999 })).message).toMatch(/no image with id 9999/)
    expect((await failure('evaluation.forImage', { runId: 42, imageId: images[0]!.id })).message).toMatch(/no run #42/)
    expect((await failure('evaluation.forImage', { runId: 1, imageId: -1 })).code).toBe('invalid-argument')
  })

  it('scores again after an edit and a review (the cache follows the data)', async () => {
    const before = await value<EvaluationReport>('evaluation.evaluate', { runId: 1 })
    expect(await value<EvaluationReport>('evaluation.evaluate', { runId: 1 })).toEqual(before)
    const reviewed = images.find((image) => image.relativePath.startsWith('south/img-000'))!
    const label = (await labelsOf(reviewed.id)).labels[0]!
    await edit(reviewed.id, 'delete', [{ op: 'delete', labelId: label.id }])
    const edited = await value<EvaluationReport>('evaluation.evaluate', { runId: 1 })
    const labelCount = (entry: EvaluationReport) => entry.primary.perClass.reduce((sum, item) => sum + item.labels, 0)
    expect(labelCount(edited)).toBe(labelCount(before) - 1)
    const behind = await value<EvaluationImages>('evaluation.images', { runId: 1, selection: { kind: 'cell', row: 0, column: 0 } })
    expect(behind.boxes).toBe(edited.primary.confusion.counts[0]![0])

    const unreviewed = images.find((image) => image.relativePath.startsWith('north/img-004'))!
    expect(await value<ImageEvaluation>('evaluation.forImage', { runId: 1, imageId: unreviewed.id })).toMatchObject({ reviewed: false, hasResult: true })
    await value('images.setReviewed', { imageId: unreviewed.id, reviewed: true })
    expect((await value<EvaluationReport>('evaluation.evaluate', { runId: 1 })).images).toBe(before.images + 1)
  }, 60_000)

  it('compares two runs on the images both finished, as `project eval --compare` does', async () => {
    const second = await runToEnd({ scope: 'all', decodeCutoff: 0.3 })
    const compared = await value<EvaluationReport>('evaluation.evaluate', { runId: 1, compareRunId: second.id })
    expect(compared.comparison!.run.id).toBe(second.id)
    const cli = await cliReport('--run', '1', '--compare', String(second.id))
    expect(compared.images).toBe(cli.images)
    expect(compared.primary.summary).toEqual(cli.runs[0].summary)
    expect(compared.comparison!.summary).toEqual(cli.runs[1].summary)
    // The second run kept only detections scoring 0.3 or more: it cannot recall more.
    expect(compared.comparison!.summary.AR100).toBeLessThanOrEqual(compared.primary.summary.AR100)
    const swapped = await value<EvaluationImages>('evaluation.images', { runId: second.id, compareRunId: 1, selection: { kind: 'cell', row: 0, column: 0 } })
    expect(swapped.boxes).toBe(compared.comparison!.confusion.counts[0]![0])
  }, 120_000)

  it('judges an image the run has not processed as having no result', async () => {
    copyFixtureImages(join(imageFolder, 'late'), 1)
    await value('project.rescan')
    const late = (await value<GridPage>('images.grid', { offset: 0, limit: 100 })).items.find((image) => image.relativePath.startsWith('late/'))!
    expect(await value<ImageEvaluation>('evaluation.forImage', { runId: 1, imageId: late.id })).toEqual({ imageId: late.id, runId: 1, reviewed: false, hasResult: false, detections: [], missed: [] })
  })
})
