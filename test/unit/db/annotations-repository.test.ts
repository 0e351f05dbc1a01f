import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  isImageTouchedByPerson,
  listAnnotations,
  replaceDetectionAnnotations,
} from '../../../src-main/core/db/annotations-repository'
import { type ImageResult, recordImageResults } from '../../../src-main/core/db/detections-repository'
import { applyLabelChanges, undoLastEdit } from '../../../src-main/core/db/edit-log-repository'
import { setImageReviewed } from '../../../src-main/core/db/image-status'
import { addImages, createTemporaryProject, startRun, type TemporaryProject, testTime } from './project-database-fixture'

let project: TemporaryProject

beforeEach(async () => {
  project = await createTemporaryProject('rw-annotations-')
})

afterEach(async () => {
  await project.dispose()
})

/** A result whose boxes all start at `x`, so labels from different runs are told apart. */
const resultAt = (imageId: number, x: number): ImageResult => ({
  imageId,
  state: 'done',
  detections: [
    { classIndex: 0, score: 0.95, box: [x, 0, x + 10, 10] },
    { classIndex: 1, score: 0.6, box: [x, 20, x + 10, 30] },
    { classIndex: 2, score: 0.1, box: [x, 40, x + 10, 50] },
  ],
})

const boxesOf = (imageId: number) => listAnnotations(project.db, imageId).map((annotation) => annotation.box)

/** Runs a fresh model run over the images with boxes at `x`, and returns what happened to each image's labels. */
function rerun(imageIds: number[], x: number) {
  const runId = startRun(project.db, { scope: 'all' })
  return recordImageResults(project.db, runId, imageIds.map((id) => resultAt(id, x)), testTime).map((result) => result.labels)
}

describe('labels made from detections', () => {
  it('turns the detections at or above the label threshold (the model default, 0.5) into labels linked to them', () => {
    const [imageId] = addImages(project.db, ['a.png'])
    rerun([imageId!], 0)
    const labels = listAnnotations(project.db, imageId!)
    expect(labels.map((label) => label.box)).toEqual([
      [0, 0, 10, 10],
      [0, 20, 10, 30],
    ])
    expect(labels.every((label) => label.origin === 'detection' && label.detectionId !== null)).toBe(true)
  })

  it('replaces the labels of untouched images on a rerun', () => {
    const [imageId] = addImages(project.db, ['a.png'])
    rerun([imageId!], 0)
    expect(rerun([imageId!], 100)).toEqual(['replaced'])
    expect(boxesOf(imageId!)).toEqual([
      [100, 0, 110, 10],
      [100, 20, 110, 30],
    ])
  })

  it('never overwrites labels a person changed, deleted, drew, or reviewed', () => {
    const { db } = project
    const [moved, deleted, drawn, reviewed, untouched] = addImages(db, ['m.png', 'd.png', 'n.png', 'r.png', 'u.png']) as number[]
    rerun([moved!, deleted!, drawn!, reviewed!, untouched!], 0)
    const firstLabel = (imageId: number) => listAnnotations(db, imageId)[0]!

    applyLabelChanges(db, moved!, 'move box', [
      { op: 'update', annotationId: firstLabel(moved!).id, state: { classId: firstLabel(moved!).classId, box: [1, 1, 11, 11] } },
    ], testTime)
    applyLabelChanges(db, deleted!, 'delete box', [{ op: 'delete', annotationId: firstLabel(deleted!).id }], testTime)
    applyLabelChanges(db, drawn!, 'draw box', [{ op: 'create', state: { classId: firstLabel(drawn!).classId, box: [7, 7, 9, 9] } }], testTime)
    setImageReviewed(db, reviewed!, true, 'now')
    const before = [moved, deleted, drawn, reviewed].map((id) => boxesOf(id!))

    expect(rerun([moved!, deleted!, drawn!, reviewed!, untouched!], 100)).toEqual([
      'kept-person-labels',
      'kept-person-labels',
      'kept-person-labels',
      'kept-person-labels',
      'replaced',
    ])
    expect([moved, deleted, drawn, reviewed].map((id) => boxesOf(id!))).toEqual(before)
    expect(boxesOf(untouched!)[0]).toEqual([100, 0, 110, 10])
    expect(db.prepare('SELECT status FROM images WHERE id = ?').pluck().get(reviewed)).toBe('reviewed')
  })

  it('still counts an image as touched after its edit was undone', () => {
    const { db } = project
    const [imageId] = addImages(db, ['a.png'])
    rerun([imageId!], 0)
    const label = listAnnotations(db, imageId!)[0]!
    applyLabelChanges(db, imageId!, 'delete box', [{ op: 'delete', annotationId: label.id }], testTime)
    undoLastEdit(db, testTime)
    expect(isImageTouchedByPerson(db, imageId!)).toBe(true)
    expect(rerun([imageId!], 100)).toEqual(['kept-person-labels'])
    expect(boxesOf(imageId!)[0]).toEqual([0, 0, 10, 10])
  })

  it('can be called on its own for an image, with its own thresholds', () => {
    const { db } = project
    const [imageId] = addImages(db, ['a.png'])
    const runId = startRun(db, { modelConfig: { configPath: null, config: { labelThreshold: { score: 0.99 } } } })
    recordImageResults(db, runId, [resultAt(imageId!, 0)], testTime)
    expect(boxesOf(imageId!)).toEqual([])
    expect(replaceDetectionAnnotations(db, imageId!, runId, { score: 0.05, perClass: new Map() }, testTime)).toBe('replaced')
    expect(boxesOf(imageId!)).toHaveLength(3)
  })
})
