import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import {
  findGridPosition,
  findNextUnreviewed,
  getGridPage,
  type ImageGridFilter,
} from '../../../src-main/core/db/image-grid'
import { setImageReviewed } from '../../../src-main/core/db/image-status'
import { detectionDoubt, readImageUncertainty } from '../../../src-main/core/db/image-uncertainty'
import { changeLabelThresholds } from '../../../src-main/core/db/label-derivation'
import { deleteRun, finishRun } from '../../../src-main/core/db/runs-repository'
import { addImages, createTemporaryProject, startRun, type TemporaryProject, testTime } from './project-database-fixture'

let project: TemporaryProject
let ids: Record<string, number>

const done = (imageId: number, scores: Array<[classIndex: number, score: number]>) => ({
  imageId,
  state: 'done' as const,
  detections: scores.map(([classIndex, score], index) => ({ classIndex, score, box: [index, 0, index + 5, 5] as const })),
})

/*
 * Label threshold 0.5 (the test model names none), doubt falling to 0 at 0.2 from it. Images:
 * a 0.625 → 0.375; b 0.45 and 0.55 → 0.75 + 0.75; c nothing found → 0; d 0.5 and 0.99 → 1 + 0;
 * e 0.375 → 0.375 (a tie with a, broken by path); f never detected. Classes by index: 0 cat,
 * 1 dog, 2 bird.
 */
beforeEach(async () => {
  project = await createTemporaryProject('rw-uncertainty-')
  const paths = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png', 'f.png']
  const added = addImages(project.db, paths)
  ids = Object.fromEntries(paths.map((path, index) => [path[0]!, added[index]!]))
  const runId = startRun(project.db)
  recordImageResults(
    project.db,
    runId,
    [
      done(ids.a!, [[0, 0.625]]),
      done(ids.b!, [[0, 0.45], [1, 0.55]]),
      done(ids.c!, []),
      done(ids.d!, [[2, 0.5], [0, 0.99]]),
      done(ids.e!, [[1, 0.375]]),
    ],
    testTime,
  )
  finishRun(project.db, runId, { state: 'done', finishedAt: testTime })
})

afterEach(async () => {
  await project.dispose()
})

const byUncertainty: ImageGridFilter = { order: 'uncertainty' }
const pathsIn = (filter: ImageGridFilter) => getGridPage(project.db, filter, 0, 100).items.map((item) => item.relativePath)

describe('detection doubt', () => {
  it('is 1 at the threshold and falls linearly to 0 at 0.2 from it, on either side', () => {
    expect(detectionDoubt(0.5, 0.5)).toBe(1)
    expect(detectionDoubt(0.625, 0.5)).toBe(0.375)
    expect(detectionDoubt(0.375, 0.5)).toBe(0.375)
    expect(detectionDoubt(0.3, 0.5)).toBeCloseTo(0, 12)
    expect(detectionDoubt(0.05, 0.5)).toBe(0)
    expect(detectionDoubt(1, 0.9)).toBeCloseTo(0.5, 12)
  })
})

describe('most uncertain first', () => {
  it('lists images by the sum of their detections’ doubts, ties by path, images no run finished last', () => {
    expect(pathsIn(byUncertainty)).toEqual(['b.png', 'd.png', 'a.png', 'e.png', 'c.png', 'f.png'])
    const page = getGridPage(project.db, byUncertainty, 0, 100).items
    expect(page.map((item) => item.uncertainty)).toEqual([expect.closeTo(1.5, 12), 1, 0.375, 0.375, 0, null])
    expect(pathsIn({})).toEqual(['a.png', 'b.png', 'c.png', 'd.png', 'e.png', 'f.png'])
  })

  it('pages the same order a page at a time', () => {
    const pages = [0, 2, 4].flatMap((offset) => getGridPage(project.db, byUncertainty, offset, 2).items.map((item) => item.relativePath))
    expect(pages).toEqual(pathsIn(byUncertainty))
  })

  it('gives every image the position it has in the listing, under each order and with a status filter', () => {
    setImageReviewed(project.db, ids.a!, true, testTime)
    for (const filter of [byUncertainty, {}, { order: 'uncertainty', statuses: ['detected'] } satisfies ImageGridFilter]) {
      const listed = getGridPage(project.db, filter, 0, 100).items
      listed.forEach((item, index) => expect(findGridPosition(project.db, filter, item.id)).toEqual({ index, imageId: item.id }))
      if (filter.statuses) expect(findGridPosition(project.db, filter, ids.a!)).toBeUndefined()
    }
  })

  it('steps to the next unreviewed image in that order, wrapping around', () => {
    setImageReviewed(project.db, ids.d!, true, testTime)
    setImageReviewed(project.db, ids.a!, true, testTime)
    // b, d, a, e, c, f: after b (0) comes e (3), skipping the reviewed d and a; after e, c (4).
    expect(findNextUnreviewed(project.db, byUncertainty, -1)).toEqual({ index: 0, imageId: ids.b })
    expect(findNextUnreviewed(project.db, byUncertainty, 0)).toEqual({ index: 3, imageId: ids.e })
    expect(findNextUnreviewed(project.db, byUncertainty, 3)).toEqual({ index: 4, imageId: ids.c })
    expect(findNextUnreviewed(project.db, byUncertainty, 5)).toEqual({ index: 0, imageId: ids.b })
    for (const id of [ids.b, ids.c, ids.e, ids.f]) setImageReviewed(project.db, id!, true, testTime)
    expect(findNextUnreviewed(project.db, byUncertainty, 0)).toBeUndefined()
  })

  it('follows the label thresholds when they change', () => {
    project.db.exec(`INSERT INTO project (id, uuid, name, created_at, app_version, image_root) VALUES (1, 'u', 'p', 't', '0', '.')`)
    const dog = project.db.prepare("SELECT id FROM classes WHERE name = 'dog'").pluck().get() as number
    // Every class 0.3, dog 0.45: a cat 0.625 → 0; b cat 0.45 → 1 − 0.15/0.2, dog 0.55 → 1 − 0.1/0.2;
    // d bird 0.5 → 0; e dog 0.375 → 1 − 0.075/0.2.
    changeLabelThresholds(project.db, { score: 0.3, perClass: new Map([[dog, 0.45]]) }, testTime)
    expect(readImageUncertainty(project.db, ids.a!)).toBe(0)
    expect(readImageUncertainty(project.db, ids.b!)).toBeCloseTo(0.25 + 0.5, 12)
    expect(readImageUncertainty(project.db, ids.d!)).toBeCloseTo(0, 12)
    expect(readImageUncertainty(project.db, ids.e!)).toBeCloseTo(0.625, 12)
    expect(readImageUncertainty(project.db, ids.c!)).toBe(0)
    expect(readImageUncertainty(project.db, ids.f!)).toBeNull()
    expect(pathsIn(byUncertainty).slice(0, 2)).toEqual(['b.png', 'e.png'])
    expect(pathsIn(byUncertainty).at(-1)).toBe('f.png')
  })

  it('goes back to an older result, or to none, when the newest run is deleted', () => {
    const second = startRun(project.db)
    recordImageResults(project.db, second, [done(ids.f!, [[0, 0.5]]), done(ids.d!, [[0, 0.99]])], testTime)
    finishRun(project.db, second, { state: 'done', finishedAt: testTime })
    expect(readImageUncertainty(project.db, ids.f!)).toBe(1)
    expect(readImageUncertainty(project.db, ids.d!)).toBe(0)
    deleteRun(project.db, second)
    expect(readImageUncertainty(project.db, ids.f!)).toBeNull()
    expect(readImageUncertainty(project.db, ids.d!)).toBe(1)
  })

  it('keeps an image’s value when a later run fails on it', () => {
    const second = startRun(project.db)
    recordImageResults(project.db, second, [{ imageId: ids.d!, state: 'error', errorMessage: 'unreadable' }], testTime)
    expect(readImageUncertainty(project.db, ids.d!)).toBe(1)
  })
})
