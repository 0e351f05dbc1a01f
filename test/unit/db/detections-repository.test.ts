import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  findLatestRunOfImage,
  type ImageResult,
  listDetections,
  recordImageResults,
} from '../../../src-main/core/db/detections-repository'
import { getImageState } from '../../../src-main/core/db/image-status'
import { deleteRun, finishRun } from '../../../src-main/core/db/runs-repository'
import { addImages, createTemporaryProject, startRun, type TemporaryProject, testTime } from './project-database-fixture'

let project: TemporaryProject

beforeEach(async () => {
  project = await createTemporaryProject('rw-detections-')
})

afterEach(async () => {
  await project.dispose()
})

const twoBoxes = (imageId: number): ImageResult => ({
  imageId,
  state: 'done',
  detections: [
    { classIndex: 0, score: 0.9, box: [1, 2, 30, 40] },
    { classIndex: 2, score: 0.2, box: [5, 5, 6, 6] },
  ],
})

const count = (sql: string, ...params: unknown[]) => project.db.prepare(sql).pluck().get(...params) as number

describe('recording image results', () => {
  it('stores detections with their class ids, a completion row and the new status together', () => {
    const { db } = project
    const [imageId] = addImages(db, ['a.png'])
    const runId = startRun(db)
    expect(recordImageResults(db, runId, [twoBoxes(imageId!)], testTime)).toEqual([
      { imageId, outcome: 'recorded', labels: 'replaced' },
    ])
    const catId = count("SELECT id FROM classes WHERE name = 'cat'")
    const birdId = count("SELECT id FROM classes WHERE name = 'bird'")
    expect(listDetections(db, runId, imageId!).map(({ classId, score, box }) => ({ classId, score, box }))).toEqual([
      { classId: catId, score: 0.9, box: [1, 2, 30, 40] },
      { classId: birdId, score: 0.2, box: [5, 5, 6, 6] },
    ])
    expect(db.prepare('SELECT state, detection_count FROM run_images').get()).toEqual({ state: 'done', detection_count: 2 })
    expect(getImageState(db, imageId!)).toEqual({ status: 'detected', errorMessage: null, missing: false })
    expect(findLatestRunOfImage(db, imageId!)).toBe(runId)
  })

  it('stores every detection of an image with many, in full and in order', () => {
    const { db } = project
    const [imageId] = addImages(db, ['crowd.png'])
    const runId = startRun(db)
    const detections = Array.from({ length: 37 }, (_, index) => ({
      classIndex: index % 3,
      score: 1 - index / 100,
      box: [index, index + 0.5, index + 10, index + 20.25] as const,
    }))
    recordImageResults(db, runId, [{ imageId: imageId!, state: 'done', detections }], testTime)
    const classIds = db.prepare('SELECT id FROM classes ORDER BY id').pluck().all() as number[]
    expect(listDetections(db, runId, imageId!).map(({ classId, score, box }) => ({ classId, score, box }))).toEqual(
      detections.map((detection) => ({ classId: classIds[detection.classIndex], score: detection.score, box: [...detection.box] })),
    )
    expect(db.prepare('SELECT detection_count FROM run_images').pluck().get()).toBe(37)
  })

  it('writes an image twice only once: a retried batch adds no duplicates', () => {
    const { db } = project
    const [a, b] = addImages(db, ['a.png', 'b.png'])
    const runId = startRun(db)
    recordImageResults(db, runId, [twoBoxes(a!)], testTime)
    const retried = recordImageResults(db, runId, [twoBoxes(a!), twoBoxes(b!)], testTime)
    expect(retried.map((result) => result.outcome)).toEqual(['already-recorded', 'recorded'])
    expect(count('SELECT count(*) FROM detections WHERE image_id = ?', a)).toBe(2)
    expect(count('SELECT count(*) FROM run_images')).toBe(2)
  })

  it('records an unreadable image as an error with its message, and the image status follows', () => {
    const { db } = project
    const [imageId] = addImages(db, ['broken.png'])
    const runId = startRun(db)
    recordImageResults(db, runId, [{ imageId: imageId!, state: 'error', errorMessage: 'Input buffer is truncated' }], testTime)
    expect(getImageState(db, imageId!)).toEqual({ status: 'error', errorMessage: 'Input buffer is truncated', missing: false })
    expect(db.prepare('SELECT state, error_message, detection_count FROM run_images').get()).toEqual({
      state: 'error',
      error_message: 'Input buffer is truncated',
      detection_count: 0,
    })
  })

  it('writes a batch atomically: a bad image leaves none of the batch behind', () => {
    const { db } = project
    const [a, b] = addImages(db, ['a.png', 'b.png'])
    const runId = startRun(db)
    const unknownLabel: ImageResult = { imageId: b!, state: 'done', detections: [{ classIndex: 7, score: 0.5, box: [0, 0, 1, 1] }] }
    expect(() => recordImageResults(db, runId, [twoBoxes(a!), unknownLabel], testTime)).toThrow(/label index 7/)
    expect(count('SELECT count(*) FROM detections')).toBe(0)
    expect(count('SELECT count(*) FROM run_images')).toBe(0)
    expect(count('SELECT count(*) FROM annotations')).toBe(0)
    expect(getImageState(db, a!)?.status).toBe('new')
  })

  it('refuses invalid boxes and unknown images with a message naming them', () => {
    const { db } = project
    const [imageId] = addImages(db, ['a.png'])
    const runId = startRun(db)
    const inverted: ImageResult = { imageId: imageId!, state: 'done', detections: [{ classIndex: 0, score: 0.5, box: [10, 0, 5, 1] }] }
    expect(() => recordImageResults(db, runId, [inverted], testTime)).toThrow(/Detection 1 of image \d+ is not a valid box/)
    const notANumber: ImageResult = { imageId: imageId!, state: 'done', detections: [{ classIndex: 0, score: Number.NaN, box: [0, 0, 5, 1] }] }
    expect(() => recordImageResults(db, runId, [notANumber], testTime)).toThrow(/not a valid box/)
    expect(() => recordImageResults(db, runId, [twoBoxes(9999)], testTime)).toThrow(/no image with id 9999/)
  })

  it('refuses results for a run that has ended', () => {
    const { db } = project
    const [imageId] = addImages(db, ['a.png'])
    const runId = startRun(db)
    finishRun(db, runId, { state: 'cancelled', finishedAt: testTime })
    expect(() => recordImageResults(db, runId, [twoBoxes(imageId!)], testTime)).toThrow(/cancelled; reopen it/)
  })
})

describe('immutability of raw model output', () => {
  let runId: number
  let imageId: number

  beforeEach(() => {
    ;[imageId] = addImages(project.db, ['a.png']) as [number]
    runId = startRun(project.db)
    recordImageResults(project.db, runId, [twoBoxes(imageId)], testTime)
  })

  it('refuses to change a detection or a completion row', () => {
    expect(() => project.db.prepare('UPDATE detections SET score = 1').run()).toThrow(/detections are immutable/)
    expect(() => project.db.prepare("UPDATE run_images SET state = 'error', error_message = 'x'").run()).toThrow(
      /run_images rows are immutable/,
    )
  })

  it('refuses to delete a detection or a completion row on its own', () => {
    expect(() => project.db.prepare('DELETE FROM detections').run()).toThrow(/only with their run or image/)
    expect(() => project.db.prepare('DELETE FROM run_images').run()).toThrow(/only with their run or image/)
    expect(count('SELECT count(*) FROM detections')).toBe(2)
  })

  it('lets detections go with their run; labels made from them stay, without the link', () => {
    finishRun(project.db, runId, { state: 'done', finishedAt: testTime })
    expect(count('SELECT count(*) FROM annotations WHERE detection_id IS NOT NULL')).toBe(1)
    deleteRun(project.db, runId)
    expect(count('SELECT count(*) FROM detections')).toBe(0)
    expect(count('SELECT count(*) FROM run_images')).toBe(0)
    expect(project.db.prepare('SELECT origin, detection_id FROM annotations').all()).toEqual([
      { origin: 'detection', detection_id: null },
    ])
  })

  it('lets detections go with their image', () => {
    project.db.prepare('DELETE FROM images WHERE id = ?').run(imageId)
    expect(count('SELECT count(*) FROM detections')).toBe(0)
    expect(count('SELECT count(*) FROM annotations')).toBe(0)
  })

  it('refuses a detection without a completion row for its image', () => {
    const catId = count("SELECT id FROM classes WHERE name = 'cat'")
    const [other] = addImages(project.db, ['b.png'])
    expect(() =>
      project.db
        .prepare('INSERT INTO detections (run_id, image_id, class_id, score, x1, y1, x2, y2) VALUES (?, ?, ?, 0.5, 0, 0, 1, 1)')
        .run(runId, other, catId),
    ).toThrow(/FOREIGN KEY/)
  })
})
