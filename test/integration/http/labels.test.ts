import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import type { EditOutcome, ImageLabels, ImagePosition, LabelThresholdsOutcome } from '@shared/api/label-types'
import type { GridImage, GridPage, ImageDetections, ProjectClass, ProjectStats, RunSummary } from '@shared/api/types'
import { copyFixtureImages, fixtureModel, withDatabase } from '../jobs/project-fixture'
import { type ServerHarness, startHarness } from './server-harness'
import { collectEvents, type EventCollector } from './sse-collector'

let harness: ServerHarness
let stream: EventCollector
let projectFile: string
let images: GridImage[]

async function value<T>(method: string, args: unknown = {}): Promise<T> {
  const { status, body } = await harness.call(method, args)
  if (status !== 200 || !body.ok) throw new Error(`${method} failed (${status}): ${JSON.stringify(body)}`)
  return body.value as T
}

async function failure(method: string, args: unknown): Promise<{ code: string; message: string }> {
  const { body } = await harness.call(method, args)
  expect(body.ok).toBe(false)
  return body.error
}

const labelsChangedFor = (imageId: number) => (event: ApiEvent) =>
  event.type === 'labels.changed' && event.imageIds.includes(imageId)

/** The scores of an image's latest detections that can be labels (at least 1 px wide and high). */
async function scoresOf(imageId: number): Promise<number[]> {
  const { detections } = await value<ImageDetections>('detections.forImage', { imageId })
  return detections
    .filter(({ box: [x1, y1, x2, y2] }) => x2 - x1 >= 1 && y2 - y1 >= 1)
    .map((detection) => detection.score)
}

beforeAll(async () => {
  harness = await startHarness()
  harness.server.context.runs.defaultModelPath = fixtureModel
  stream = collectEvents(await harness.get('/events'))
  const imageFolder = join(harness.folder, 'images')
  copyFixtureImages(imageFolder, 8)
  projectFile = (await value<{ file: string }>('project.create', { imageFolder })).file
  const started = await value<RunSummary>('runs.start', { scope: 'all' })
  await stream.waitFor((event) => event.type === 'run.finished' && event.run.id === started.id)
  images = (await value<GridPage>('images.grid', { offset: 0, limit: 100 })).items
}, 120_000)

afterAll(async () => {
  await harness.server.context.runs.idle()
  await stream.close()
  await harness.stop()
})

describe('labels over HTTP', () => {
  it('splits each image\'s detections into labels (at the label threshold) and suggestions, and counts them apart', async () => {
    const thresholds = await value<{ score: number }>('labelThresholds.get')
    expect(thresholds.score).toBe(0.5) // the fixture model's config names no operating point
    let labelTotal = 0
    for (const image of images) {
      const labels = await value<ImageLabels>('labels.forImage', { imageId: image.id })
      const scores = await scoresOf(image.id)
      expect(labels.labels.map((label) => label.score)).toEqual(scores.filter((score) => score >= thresholds.score))
      expect(labels.suggestions.map((suggestion) => suggestion.score)).toEqual(scores.filter((score) => score < thresholds.score))
      expect(labels.labels.every((label) => label.origin === 'detection' && label.detectionId !== null)).toBe(true)
      expect(image.labelCount).toBe(labels.labels.length)
      labelTotal += labels.labels.length
    }
    const stats = await value<ProjectStats>('project.stats')
    expect(stats.labelCount).toBe(labelTotal)
    expect(stats.detectionCount).toBeGreaterThan(labelTotal)
    const classes = await value<ProjectClass[]>('classes.list')
    expect(classes.reduce((sum, projectClass) => sum + projectClass.labelCount, 0)).toBe(labelTotal)
  })

  it('edits, undoes and redoes as one step each, across images, and tells every window', async () => {
    const [first, second] = images as [GridImage, GridImage]
    const classId = (await value<ProjectClass[]>('classes.list'))[0]!.id
    const before = await value<ImageLabels>('labels.forImage', { imageId: first.id })
    const from = stream.events.length

    const drawn = await value<EditOutcome>('labels.edit', {
      imageId: first.id,
      command: 'draw',
      changes: [{ op: 'create', classId, box: [1, 2, 11, 12] }],
    })
    expect(drawn.createdLabelIds).toHaveLength(1)
    expect(drawn.labels.touched).toBe(true)
    expect(drawn.labels.labels.at(-1)).toMatchObject({ id: drawn.createdLabelIds[0], origin: 'manual', score: null, box: [1, 2, 11, 12] })
    await stream.waitFor(labelsChangedFor(first.id), from)

    const suggestion = (await value<ImageLabels>('labels.forImage', { imageId: second.id })).suggestions[0]!
    const accepted = await value<EditOutcome>('labels.edit', {
      imageId: second.id,
      command: 'accept-suggestion',
      changes: [{ op: 'create', classId: suggestion.classId, box: suggestion.box, detectionId: suggestion.id }],
    })
    expect(accepted.labels.labels.find((label) => label.id === accepted.createdLabelIds[0])).toMatchObject({
      origin: 'detection',
      detectionId: suggestion.id,
      score: suggestion.score,
    })
    expect(accepted.labels.suggestions.map((item) => item.id)).not.toContain(suggestion.id)
    expect(accepted.history.undo).toEqual({ command: 'accept-suggestion', imageId: second.id })

    // Undo goes back through the project's history, whichever image each step changed.
    const undoneAccept = await value<EditOutcome>('labels.undo')
    expect(undoneAccept.imageId).toBe(second.id)
    // An undone acceptance offers the detection again; a deleted label's detection is not offered.
    expect(undoneAccept.labels.suggestions.map((item) => item.id)).toContain(suggestion.id)
    const undone = await value<EditOutcome>('labels.undo')
    expect(undone.imageId).toBe(first.id)
    expect(undone.labels.labels).toEqual(before.labels)
    expect(undone.history).toEqual({ undo: null, redo: { command: 'draw', imageId: first.id } })
    expect((await value<EditOutcome>('labels.redo')).labels.labels.at(-1)!.box).toEqual([1, 2, 11, 12])

    withDatabase(projectFile, (db) => {
      const log = db.prepare('SELECT command, undone FROM edit_gestures ORDER BY id').all()
      expect(log).toEqual([
        { command: 'draw', undone: 0 },
        { command: 'accept-suggestion', undone: 1 },
      ])
    })
  })

  it('does not offer the detection of a label a person deleted as a suggestion again, until the delete is undone', async () => {
    const image = images.find((candidate) => candidate.labelCount > 0 && candidate.id !== images[0]!.id)!
    const label = (await value<ImageLabels>('labels.forImage', { imageId: image.id })).labels.find((item) => item.origin === 'detection')!
    const deleted = await value<EditOutcome>('labels.edit', { imageId: image.id, command: 'delete', changes: [{ op: 'delete', labelId: label.id }] })
    expect(deleted.labels.suggestions.map((item) => item.id)).not.toContain(label.detectionId)
    const restored = await value<EditOutcome>('labels.undo')
    expect(restored.labels.labels.map((item) => item.id)).toContain(label.id)
    expect(restored.labels.suggestions.map((item) => item.id)).not.toContain(label.detectionId)
    await value('labels.redo')
    await value('labels.undo')
  })

  it('refuses boxes outside the image, labels and detections of another image, and writes nothing', async () => {
    const [first, second] = images as [GridImage, GridImage]
    const classId = (await value<ProjectClass[]>('classes.list'))[0]!.id
    const before = await value<ImageLabels>('labels.forImage', { imageId: first.id })
    const outside = await failure('labels.edit', {
      imageId: first.id,
      command: 'draw',
      changes: [{ op: 'create', classId, box: [0, 0, first.width + 5, 10] }],
    })
    expect(outside).toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/does not fit image/) })
    const otherLabel = (await value<ImageLabels>('labels.forImage', { imageId: second.id })).labels[0]!
    expect((await failure('labels.edit', { imageId: first.id, command: 'delete', changes: [{ op: 'delete', labelId: otherLabel.id }] })).code).toBe('not-found')
    const otherDetection = (await value<ImageLabels>('labels.forImage', { imageId: second.id })).suggestions[0]!
    const smuggled = await failure('labels.edit', {
      imageId: first.id,
      command: 'accept-suggestion',
      changes: [{ op: 'create', classId, box: [0, 0, 5, 5], detectionId: otherDetection.id }],
    })
    expect(smuggled.code).toBe('not-found')
    expect(await value<ImageLabels>('labels.forImage', { imageId: first.id })).toEqual(before)
  })

  it('re-derives untouched images when the label threshold changes, never a touched one', async () => {
    const [touched] = images as [GridImage]
    const touchedBefore = await value<ImageLabels>('labels.forImage', { imageId: touched.id })
    const from = stream.events.length
    const outcome = await value<LabelThresholdsOutcome>('labelThresholds.set', { score: 0.2 })
    // Every window hears the new values, so its threshold panel and evaluation follow.
    const announced = await stream.waitFor((event) => event.type === 'labelThresholds.changed', from)
    expect(announced).toEqual({ type: 'labelThresholds.changed', thresholds: outcome.thresholds })
    expect(outcome.thresholds.score).toBe(0.2)
    expect(outcome.thresholds.modelDefault.score).toBe(0.5)
    expect(outcome.imagesChanged).toBeGreaterThan(0)
    expect(outcome.labelsAfter).toBeGreaterThan(outcome.labelsBefore)
    expect(await value<ImageLabels>('labels.forImage', { imageId: touched.id })).toEqual(touchedBefore)
    for (const image of images.slice(2)) {
      const labels = await value<ImageLabels>('labels.forImage', { imageId: image.id })
      expect(labels.labels.map((label) => label.score)).toEqual((await scoresOf(image.id)).filter((score) => score >= 0.2))
    }
  })

  it('marks images reviewed, counts and filters them, and finds the next unreviewed image', async () => {
    const [first, second, third] = images as [GridImage, GridImage, GridImage]
    const reviewed = await value<GridImage>('images.setReviewed', { imageId: second.id, reviewed: true })
    expect(reviewed).toMatchObject({ id: second.id, status: 'reviewed' })
    expect((await value<ProjectStats>('project.stats')).imagesByStatus.reviewed).toBe(1)
    expect((await value<GridPage>('images.grid', { offset: 0, limit: 10, filter: { statuses: ['reviewed'] } })).items.map((item) => item.id)).toEqual([
      second.id,
    ])
    expect(await value<ImagePosition>('images.nextUnreviewed', { afterIndex: 0 })).toEqual({ index: 2, imageId: third.id })
    // Past the last image it wraps around to the first unreviewed one.
    expect(await value<ImagePosition>('images.nextUnreviewed', { afterIndex: images.length - 1 })).toEqual({ index: 0, imageId: first.id })
    expect(await value<ImagePosition>('images.positionOf', { imageId: third.id })).toEqual({ index: 2, imageId: third.id })
    expect(await value<ImagePosition>('images.positionOf', { imageId: second.id, filter: { statuses: ['reviewed'] } })).toEqual({
      index: 0,
      imageId: second.id,
    })
    expect(await value<ImagePosition | null>('images.positionOf', { imageId: third.id, filter: { statuses: ['reviewed'] } })).toBeNull()
    const unmarked = await value<GridImage>('images.setReviewed', { imageId: second.id, reviewed: false })
    expect(unmarked.status).toBe('detected')
  })

  it('adds, renames, recolours and merges classes; merged labels keep their history', async () => {
    const [first] = images as [GridImage]
    const from = stream.events.length
    const added = await value<ProjectClass>('classes.create', { name: 'person', color: '#AA0011' })
    expect(added).toMatchObject({ name: 'person', color: '#aa0011', labelCount: 0, detectionCount: 0 })
    await stream.waitFor((event) => event.type === 'classes.changed', from)
    expect(await value<ProjectClass>('classes.update', { classId: added.id, name: 'pedestrian', color: '#00ff00' })).toMatchObject({
      name: 'pedestrian',
      color: '#00ff00',
    })
    const drawn = await value<EditOutcome>('labels.edit', {
      imageId: first.id,
      command: 'draw',
      changes: [{ op: 'create', classId: added.id, box: [3, 3, 9, 9] }],
    })
    const into = (await value<ProjectClass[]>('classes.list'))[0]!
    const beforeMerge = stream.events.length
    expect(await value<{ labelsMoved: number }>('classes.merge', { classId: added.id, intoClassId: into.id })).toEqual({ labelsMoved: 1 })
    // The merge names the images whose labels now read differently, so an editor showing one re-reads it.
    await stream.waitFor(labelsChangedFor(first.id), beforeMerge)
    const classes = await value<ProjectClass[]>('classes.list')
    expect(classes.map((projectClass) => projectClass.id)).not.toContain(added.id)
    const label = (await value<ImageLabels>('labels.forImage', { imageId: first.id })).labels.find((item) => item.id === drawn.createdLabelIds[0])
    expect(label?.classId).toBe(into.id)
    // Undo and redo of the draw restore the label in the class that remains.
    await value('labels.undo')
    expect((await value<EditOutcome>('labels.redo')).labels.labels.find((item) => item.id === drawn.createdLabelIds[0])?.classId).toBe(into.id)
    expect((await failure('labels.edit', { imageId: first.id, command: 'draw', changes: [{ op: 'create', classId: added.id, box: [0, 0, 4, 4] }] })).code).toBe(
      'conflict',
    )
  })

  it('loses no edit while a rerun writes the labels of untouched images around it', async () => {
    const classId = (await value<ProjectClass[]>('classes.list'))[0]!.id
    const last = images.at(-1)!
    const started = await value<RunSummary>('runs.start', { scope: 'all' })
    // Edits arrive while the run records results: each is one transaction, before or after a batch.
    const drawn: number[] = []
    for (let step = 0; step < 5; step++) {
      const outcome = await value<EditOutcome>('labels.edit', {
        imageId: last.id,
        command: 'draw',
        changes: [{ op: 'create', classId, box: [step, step, step + 5, step + 5] }],
      })
      drawn.push(outcome.createdLabelIds[0]!)
    }
    await stream.waitFor((event) => event.type === 'run.finished' && event.run.id === started.id)
    const after = await value<ImageLabels>('labels.forImage', { imageId: last.id })
    expect(after.runId).toBe(started.id)
    expect(after.touched).toBe(true)
    expect(drawn.every((id) => after.labels.some((label) => label.id === id))).toBe(true)
  }, 60_000)
})
