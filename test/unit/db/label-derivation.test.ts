import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { mergeClass } from '../../../src-main/core/db/classes-repository'
import { type ImageResult, recordImageResults } from '../../../src-main/core/db/detections-repository'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { setImageReviewed } from '../../../src-main/core/db/image-status'
import { changeLabelThresholds } from '../../../src-main/core/db/label-derivation'
import {
  findProjectLabelThresholds,
  modelDefaultThresholds,
} from '../../../src-main/core/db/label-thresholds-repository'
import { addImages, createTemporaryProject, startRun, type TemporaryProject, testTime } from './project-database-fixture'

let project: TemporaryProject
let classIds: { cat: number; dog: number; bird: number }

/** A run whose model's operating point is 0.5, with 0.8 for dogs. */
const calibratedRun = () =>
  startRun(project.db, {
    scope: 'all',
    modelConfig: { configPath: null, config: { labelThreshold: { score: 0.5, perClass: { dog: 0.8 } } } },
  })

/** cat 0.9, dog 0.7, bird 0.3 and cat 0.45 on every image. */
const result = (imageId: number): ImageResult => ({
  imageId,
  state: 'done',
  detections: [
    { classIndex: 0, score: 0.9, box: [0, 0, 10, 10] },
    { classIndex: 1, score: 0.7, box: [20, 0, 30, 10] },
    { classIndex: 2, score: 0.3, box: [40, 0, 50, 10] },
    { classIndex: 0, score: 0.45, box: [60, 0, 70, 10] },
  ],
})

const classesOf = (imageId: number) => listAnnotations(project.db, imageId).map((label) => label.classId)

beforeEach(async () => {
  project = await createTemporaryProject('rw-label-derivation-')
  project.db.exec(`INSERT INTO project (id, uuid, name, created_at, app_version, image_root) VALUES (1, 'u', 'p', 't', '0', '.')`)
  calibratedRun()
  const id = project.db.prepare('SELECT id FROM classes WHERE name = ?').pluck()
  classIds = { cat: id.get('cat') as number, dog: id.get('dog') as number, bird: id.get('bird') as number }
})

afterEach(async () => {
  await project.dispose()
})

describe('label thresholds', () => {
  it('follow the run model operating point, per class by name, until the project sets its own', () => {
    const [imageId] = addImages(project.db, ['a.png']) as [number]
    const runId = calibratedRun()
    recordImageResults(project.db, runId, [result(imageId)], testTime)
    // dog 0.7 is below the model's 0.8 for dogs; cat 0.45 below the general 0.5.
    expect(classesOf(imageId)).toEqual([classIds.cat])
    expect(findProjectLabelThresholds(project.db)).toBeUndefined()
    expect(modelDefaultThresholds(project.db)).toEqual({ score: 0.5, perClass: new Map([[classIds.dog, 0.8]]) })
  })

  it('re-derive the labels of untouched images only, in one go, and say what changed', () => {
    const [untouched, edited, reviewed, unchanged] = addImages(project.db, ['a.png', 'b.png', 'c.png', 'd.png']) as number[]
    const runId = calibratedRun()
    recordImageResults(project.db, runId, [untouched!, edited!, reviewed!].map(result), testTime)
    recordImageResults(project.db, runId, [{ imageId: unchanged!, state: 'done', detections: [{ classIndex: 0, score: 0.99, box: [0, 0, 5, 5] }] }], testTime)
    const editedLabel = listAnnotations(project.db, edited!)[0]!
    applyLabelChanges(project.db, edited!, 'move', [
      { op: 'update', annotationId: editedLabel.id, state: { classId: classIds.cat, box: [1, 1, 11, 11] } },
    ], testTime)
    setImageReviewed(project.db, reviewed!, true, testTime)
    const before = [edited!, reviewed!].map((id) => listAnnotations(project.db, id))

    const outcome = changeLabelThresholds(project.db, { score: 0.25, perClass: new Map([[classIds.cat, 0.6]]) }, testTime)

    expect(outcome).toEqual({ changedImageIds: [untouched], labelsBefore: 2, labelsAfter: 4 })
    // cat 0.45 stays out (cat needs 0.6); dog 0.7 and bird 0.3 come in at 0.25.
    expect(classesOf(untouched!)).toEqual([classIds.cat, classIds.dog, classIds.bird])
    expect([edited!, reviewed!].map((id) => listAnnotations(project.db, id))).toEqual(before)
    expect(findProjectLabelThresholds(project.db)).toEqual({ score: 0.25, perClass: new Map([[classIds.cat, 0.6]]) })
  })

  it('refuse a per-class value for a class the project does not have, changing nothing', () => {
    expect(() => changeLabelThresholds(project.db, { score: 0.3, perClass: new Map([[999, 0.5]]) }, testTime)).toThrow(/no class with id 999/)
    expect(findProjectLabelThresholds(project.db)).toBeUndefined()
  })

  it('read a merged class as the class it went into, for new labels and suggestions alike', () => {
    const [imageId] = addImages(project.db, ['a.png']) as [number]
    mergeClass(project.db, classIds.dog, classIds.cat)
    const runId = calibratedRun()
    recordImageResults(project.db, runId, [result(imageId)], testTime)
    changeLabelThresholds(project.db, { score: 0.6, perClass: new Map() }, testTime)
    // cat 0.9 and the dog 0.7 (now a cat) pass 0.6.
    expect(classesOf(imageId)).toEqual([classIds.cat, classIds.cat])
  })
})
