import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { countGridImages, getGridPage, type ImageGridFilter, listGridImages } from '../../../src-main/core/db/image-grid'
import { getImageState, setImageReviewed, setImagesMissing } from '../../../src-main/core/db/image-status'
import { countAnnotationsByClass, countDetections, countImagesByStatus, readProjectStats } from '../../../src-main/core/db/project-stats'
import { deleteRun, finishRun } from '../../../src-main/core/db/runs-repository'
import { addImages, createTemporaryProject, startRun, type TemporaryProject, testTime } from './project-database-fixture'

let project: TemporaryProject
let ids: Record<'a' | 'b' | 'c' | 'd' | 'e', number>
let classId: Record<'cat' | 'dog' | 'bird', number>
let runId: number

/*
 * a: cat, cat, dog (detected)   b: dog (reviewed)   c: error   d: new   e: new, missing
 * (the bird detection of a scores below the 0.5 threshold, so it is no label)
 */
beforeEach(async () => {
  project = await createTemporaryProject('rw-stats-')
  const { db } = project
  const [a, b, c, d, e] = addImages(db, ['a.png', 'b.png', 'c.png', 'd.png', 'e.png']) as number[]
  ids = { a: a!, b: b!, c: c!, d: d!, e: e! }
  runId = startRun(db)
  const classIdOf = db.prepare('SELECT id FROM classes WHERE name = ?').pluck()
  classId = { cat: classIdOf.get('cat') as number, dog: classIdOf.get('dog') as number, bird: classIdOf.get('bird') as number }
  recordImageResults(db, runId, [
    {
      imageId: ids.a,
      state: 'done',
      detections: [
        { classIndex: 0, score: 0.9, box: [0, 0, 1, 1] },
        { classIndex: 0, score: 0.8, box: [0, 0, 2, 2] },
        { classIndex: 1, score: 0.7, box: [0, 0, 3, 3] },
        { classIndex: 2, score: 0.3, box: [0, 0, 4, 4] },
      ],
    },
    { imageId: ids.b, state: 'done', detections: [{ classIndex: 1, score: 0.9, box: [0, 0, 5, 5] }] },
    { imageId: ids.c, state: 'error', errorMessage: 'unsupported bit depth' },
  ], testTime)
  setImageReviewed(db, ids.b, true, testTime)
  setImagesMissing(db, [ids.e], true)
})

afterEach(async () => {
  await project.dispose()
})

const pathsOf = (filter: ImageGridFilter, offset = 0, limit = 100) =>
  getGridPage(project.db, filter, offset, limit).items.map((item) => item.relativePath)

describe('project stats', () => {
  it('counts images by status, and missing ones', () => {
    expect(countImagesByStatus(project.db)).toEqual({ total: 5, new: 2, detected: 1, reviewed: 1, error: 1, missing: 1 })
  })

  it('reads the counts as the API shows them', () => {
    expect(readProjectStats(project.db)).toEqual({
      imagesByStatus: { new: 2, detected: 1, reviewed: 1, error: 1 },
      missingImages: 1,
      labelCount: 4,
      detectionCount: 5,
    })
  })

  it('counts detections in total and per class, for one run or all', () => {
    const expected = {
      total: 5,
      byClass: [
        { classId: classId.cat, count: 2 },
        { classId: classId.dog, count: 2 },
        { classId: classId.bird, count: 1 },
      ],
    }
    expect(countDetections(project.db, runId)).toEqual(expected)
    expect(countDetections(project.db)).toEqual(expected)
    expect(countDetections(project.db, runId + 1)).toEqual({ total: 0, byClass: [] })
  })

  it('keeps per-class detection counts equal to the detections when an image or a run is deleted', () => {
    const { db } = project
    const countedByScan = () =>
      db.prepare('SELECT class_id AS classId, count(*) AS count FROM detections GROUP BY class_id ORDER BY class_id').all()
    db.prepare('DELETE FROM images WHERE id = ?').run(ids.b)
    expect(countDetections(db).byClass).toEqual(countedByScan())
    expect(countDetections(db).byClass).toContainEqual({ classId: classId.dog, count: 1 })
    finishRun(db, runId, { state: 'done', finishedAt: testTime })
    deleteRun(db, runId)
    expect(countDetections(db)).toEqual({ total: 0, byClass: [] })
  })

  it('counts current labels per class, leaving deleted ones out', () => {
    const dogLabel = listAnnotations(project.db, ids.a).find((label) => label.classId === classId.dog)!
    applyLabelChanges(project.db, ids.a, 'delete box', [{ op: 'delete', annotationId: dogLabel.id }], testTime)
    expect(countAnnotationsByClass(project.db)).toEqual([
      { classId: classId.cat, count: 2 },
      { classId: classId.dog, count: 1 },
    ])
  })
})

describe('image grid', () => {
  it('pages images in path order with status, error and label count', () => {
    const page = getGridPage(project.db, {}, 0, 3)
    expect(page.total).toBe(5)
    expect(page.items.map(({ relativePath, status, errorMessage, missing, labelCount }) => ({ relativePath, status, errorMessage, missing, labelCount }))).toEqual([
      { relativePath: 'a.png', status: 'detected', errorMessage: null, missing: false, labelCount: 3 },
      { relativePath: 'b.png', status: 'reviewed', errorMessage: null, missing: false, labelCount: 1 },
      { relativePath: 'c.png', status: 'error', errorMessage: 'unsupported bit depth', missing: false, labelCount: 0 },
    ])
    expect(pathsOf({}, 3, 3)).toEqual(['d.png', 'e.png'])
  })

  it.each<[string, ImageGridFilter, string[]]>([
    ['one status', { statuses: ['new'] }, ['d.png', 'e.png']],
    ['several statuses', { statuses: ['reviewed', 'error'] }, ['b.png', 'c.png']],
    ['no status at all', { statuses: [] }, []],
    ['errors', { hasErrors: true }, ['c.png']],
    ['missing files', { missing: true }, ['e.png']],
    ['present files that are new', { missing: false, statuses: ['new'] }, ['d.png']],
  ])('filters by %s', (_name, filter, expected) => {
    expect(pathsOf(filter)).toEqual(expected)
    expect(countGridImages(project.db, filter)).toBe(expected.length)
  })

  it('filters by a class present among the current labels', () => {
    expect(pathsOf({ classId: classId.dog })).toEqual(['a.png', 'b.png'])
    expect(countGridImages(project.db, { classId: classId.dog })).toBe(2)
    expect(countGridImages(project.db, { classId: classId.dog, missing: false })).toBe(2)
    expect(countGridImages(project.db, { classId: classId.dog, statuses: ['detected', 'reviewed'] })).toBe(2)
    // Without the total the page walks images in path order instead of starting from the class index.
    const walked = listGridImages(project.db, { classId: classId.dog }, 0, 100)
    expect(walked).toEqual(getGridPage(project.db, { classId: classId.dog }, 0, 100).items)
    expect(listGridImages(project.db, { classId: classId.dog }, 1, 1).map((item) => item.relativePath)).toEqual(['b.png'])
    expect(listGridImages(project.db, { classId: classId.dog }, 1, 1, 2).map((item) => item.relativePath)).toEqual(['b.png'])
    // The bird detection scored below the run's threshold, so no image has a bird label.
    expect(pathsOf({ classId: classId.bird })).toEqual([])
    expect(pathsOf({ classId: classId.cat, statuses: ['reviewed'] })).toEqual([])
    const dogLabel = listAnnotations(project.db, ids.b)[0]!
    applyLabelChanges(project.db, ids.b, 'delete box', [{ op: 'delete', annotationId: dogLabel.id }], testTime)
    expect(pathsOf({ classId: classId.dog })).toEqual(['a.png'])
  })

  it('serves the first page from indexes, without sorting the whole table', () => {
    const plan = (sql: string) =>
      (project.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ classId: 1, status0: 'new' }) as Array<{ detail: string }>)
        .map((row) => row.detail)
        .join(' | ')
    const labelCount = '(SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.deleted_at IS NULL)'
    const unfiltered = plan(`SELECT i.id, ${labelCount} FROM images i ORDER BY i.path LIMIT 100`)
    expect(unfiltered).not.toContain('TEMP B-TREE')
    expect(unfiltered).toContain('COVERING INDEX annotations_image')
    expect(plan(`SELECT i.id FROM images i WHERE i.status IN (@status0) ORDER BY i.path LIMIT 100`)).toContain('images_status_path')
  })
})

describe('image status', () => {
  it('goes back to what the runs say when a review mark is taken back', () => {
    expect(setImageReviewed(project.db, ids.b, false, testTime).status).toBe('detected')
    setImageReviewed(project.db, ids.c, true, testTime)
    expect(setImageReviewed(project.db, ids.c, false, testTime)).toEqual({ status: 'error', errorMessage: 'unsupported bit depth', missing: false })
    setImageReviewed(project.db, ids.d, true, testTime)
    expect(setImageReviewed(project.db, ids.d, false, testTime).status).toBe('new')
    expect(() => setImageReviewed(project.db, 999, true, testTime)).toThrow(/no image with id 999/)
  })

  it('keeps a person\'s review mark when a later run processes the image', () => {
    const later = startRun(project.db, { scope: 'all' })
    recordImageResults(project.db, later, [{ imageId: ids.b, state: 'error', errorMessage: 'file changed' }], testTime)
    expect(getImageState(project.db, ids.b)?.status).toBe('reviewed')
  })
})
