/**
 * The evaluation service on a small hand-made project (a real SQLite file): the scope (folder
 * on whole path segments, with LIKE's wildcards in folder names), the folders, the review
 * times, the images behind every cell, one image judged, unknown ids, and the cache with its
 * data stamp (an edit, a review, another connection's run).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { openDatabase } from '../../../src-main/core/db/connection'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { setImageReviewed } from '../../../src-main/core/db/image-status'
import { EvaluationCache } from '../../../src-main/core/evaluation/evaluation-cache'
import { evaluateScope } from '../../../src-main/core/evaluation/evaluation-report'
import { listSelectionImages, selectionBoxes } from '../../../src-main/core/evaluation/evaluation-selection'
import { evaluateImage } from '../../../src-main/core/evaluation/image-evaluation'
import { scoreScope } from '../../../src-main/core/evaluation/scope-scoring'
import { addImages, createTemporaryProject, startRun, testTime, type TemporaryProject } from '../db/project-database-fixture'

const PATHS = ['val/a.png', 'val/sub/b.png', 'a_b/c.png', 'axb/d.png', 'val/e.png', 'val/f.png']
const box = (x: number) => [x, 0, x + 10, 10] as [number, number, number, number]

let project: TemporaryProject
let ids: number[]
let runId: number
const [CAT, DOG, BIRD] = [0, 1, 2] // class index in the run = category order (classes created in this order)

beforeEach(async () => {
  project = await createTemporaryProject('evaluation-service-')
  const { db } = project
  ids = addImages(db, PATHS)
  runId = startRun(db)
  const [a, b, c, d, e, f] = ids as [number, number, number, number, number, number]
  recordImageResults(
    db,
    runId,
    [
      { imageId: a, state: 'done', detections: [{ classIndex: CAT, score: 0.9, box: box(0) }, { classIndex: DOG, score: 0.8, box: box(20) }, { classIndex: BIRD, score: 0.3, box: box(40) }] },
      { imageId: b, state: 'done', detections: [{ classIndex: CAT, score: 0.7, box: box(0) }] },
      { imageId: c, state: 'done', detections: [{ classIndex: CAT, score: 0.95, box: box(0) }] },
      { imageId: d, state: 'done', detections: [{ classIndex: CAT, score: 0.6, box: box(0) }] },
      { imageId: e, state: 'done', detections: [{ classIndex: CAT, score: 0.9, box: box(0) }] },
      { imageId: f, state: 'error', errorMessage: 'unreadable' },
    ],
    testTime,
  )
  const classIds = db.prepare('SELECT id FROM classes ORDER BY id').pluck().all() as number[]
  // a: the dog becomes a bird (a wrong class); b: its cat label deleted (background) and one drawn elsewhere (missed).
  const dogLabel = listAnnotations(db, a).find((label) => label.classId === classIds[DOG])!
  applyLabelChanges(db, a, 'relabel', [{ op: 'update', annotationId: dogLabel.id, state: { classId: classIds[BIRD]!, box: dogLabel.box } }], '2026-03-01T10:00:00.000Z')
  const catLabel = listAnnotations(db, b)[0]!
  applyLabelChanges(db, b, 'delete', [{ op: 'delete', annotationId: catLabel.id }], '2026-03-01T10:00:10.000Z')
  applyLabelChanges(db, b, 'draw', [{ op: 'create', state: { classId: classIds[CAT]!, box: box(60) } }], '2026-03-01T10:00:25.000Z')
  setImageReviewed(db, a, true, '2026-03-01T10:00:00.000Z')
  setImageReviewed(db, b, true, '2026-03-01T10:00:30.000Z')
  setImageReviewed(db, c, true, '2026-03-01T10:20:00.000Z') // 19.5 min later: a break, not counted
  setImageReviewed(db, d, true, '2026-03-01T10:20:45.000Z')
  setImageReviewed(db, f, true, '2026-03-01T10:21:00.000Z') // reviewed, but the run has no result for it
})
afterEach(() => project.dispose())

describe('evaluation service', () => {
  it('scores the reviewed images the run finished, with the confusion, effort and folders', () => {
    const report = evaluateScope(project.db, { runId }, 0.9)
    expect(report.images).toBe(4)
    expect(report.reviewedWithoutResult).toBe(1)
    expect(report.folders).toEqual([
      { folder: '', reviewedImages: 5 },
      { folder: 'a_b', reviewedImages: 1 },
      { folder: 'axb', reviewedImages: 1 },
      { folder: 'val', reviewedImages: 3 },
      { folder: 'val/sub', reviewedImages: 1 },
    ])
    const { confusion, operatingPoint, effort, perClass } = report.primary
    expect(confusion.rows).toEqual(['cat', 'dog', 'bird', 'background'])
    expect(confusion.counts).toEqual([
      [3, 0, 0, 1],
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [1, 0, 0, 0],
    ])
    expect(operatingPoint).toMatchObject({ truePositives: 3, falsePositives: 2, falseNegatives: 2 })
    // Gaps before b (30 s) and d (45 s); a is the first review, c comes after a break, f is not evaluated.
    expect(effort.reviewSeconds).toEqual({ median: 37.5, total: 75, count: 2 })
    expect(effort.editSpanSeconds).toEqual({ median: 7.5, total: 15, count: 2 })
    expect(effort.detections).toMatchObject({ kept: 3, relabelled: 1, deleted: 1, unlabelled: 1 })
    expect(perClass.map((entry) => [entry.name, entry.curve.length, entry.histogram.truePositives.reduce((sum, n) => sum + n, 0)])).toEqual([
      ['cat', 101, 3],
      ['dog', 0, 0],
      ['bird', 101, 0],
    ])
    expect(report.primary.histogram.falsePositives.reduce((sum, n) => sum + n, 0)).toBe(3) // the bird at 0.3 counts at any score
  })

  it('leaves reviews marked together (an import with --reviewed) out of the time per image', () => {
    const [, , , , e] = ids as [number, number, number, number, number]
    // e is marked in the same instant as d: no person spent 0 s on it.
    setImageReviewed(project.db, e, true, '2026-03-01T10:20:45.000Z')
    expect(evaluateScope(project.db, { runId }, 0.9).primary.effort.reviewSeconds).toEqual({ median: 37.5, total: 75, count: 2 })
  })

  it('narrows to a folder on whole path segments, LIKE wildcards taken literally', () => {
    expect(evaluateScope(project.db, { runId, folder: 'val' }, 0.9)).toMatchObject({ images: 2, reviewedWithoutResult: 1, folder: 'val' })
    expect(evaluateScope(project.db, { runId, folder: 'a_b' }, 0.9).images).toBe(1) // not axb
    expect(evaluateScope(project.db, { runId, folder: 'va' }, 0.9).images).toBe(0)
    expect(evaluateScope(project.db, { runId, folder: 'val/sub' }, 0.9).primary.effort.reviewSeconds).toEqual({ median: 30, total: 30, count: 1 })
    expect(() => scoreScope(project.db, { runId, folder: '../val' })).toThrow(/must be a folder inside the image root/)
  })

  it('lists the images behind every confusion cell, adding up to the cell', () => {
    const scored = scoreScope(project.db, { runId })
    const { counts } = scored.primary.scored.result.confusion
    counts.forEach((row, r) =>
      row.forEach((count, column) => {
        const images = listSelectionImages(project.db, scored.primary.rows.imageIds, selectionBoxes(scored.primary.scored, { kind: 'cell', row: r, column }))
        expect(images.boxes, `cell ${r}, ${column}`).toBe(count)
        expect(images.images.reduce((sum, image) => sum + image.boxes, 0)).toBe(count)
      }),
    )
    const diagonal = listSelectionImages(project.db, scored.primary.rows.imageIds, selectionBoxes(scored.primary.scored, { kind: 'cell', row: 0, column: 0 }))
    expect(diagonal.images.map((image) => image.relativePath)).toEqual(['a_b/c.png', 'axb/d.png', 'val/a.png'])
    const boxesOf = (selection: Parameters<typeof selectionBoxes>[1]) => [...selectionBoxes(scored.primary.scored, selection).values()].reduce((sum, n) => sum + n, 0)
    expect(boxesOf({ kind: 'detections', classId: null, outcome: 'falsePositive', minScore: 0 })).toBe(3)
    expect(boxesOf({ kind: 'detections', classId: null, outcome: 'falsePositive', minScore: 0.5, maxScore: 1 })).toBe(2)
    expect(boxesOf({ kind: 'detections', classId: null, outcome: 'truePositive', minScore: 0.9, maxScore: 1 })).toBe(2)
    expect(boxesOf({ kind: 'missed', classId: null, minScore: 0.5 })).toBe(scored.primary.scored.result.operatingPoint.falseNegatives)
    expect(() => selectionBoxes(scored.primary.scored, { kind: 'cell', row: 4, column: 0 })).toThrow(/rows and columns 0 to 3/)
    expect(() => selectionBoxes(scored.primary.scored, { kind: 'missed', classId: 999, minScore: 0 })).toThrow(/no class with id 999/)
  })

  it('judges one image as the cells do, reviewed or not, and says when the run has no result', () => {
    const [a, b, , , e, f] = ids as [number, number, number, number, number, number]
    const labelsOf = (imageId: number) => listAnnotations(project.db, imageId)
    const first = evaluateImage(project.db, runId, a)
    expect(first.detections.map((d) => [d.score, d.verdict, d.labelId])).toEqual([
      [0.9, 'truePositive', labelsOf(a).find((label) => label.box[0] === 0)!.id],
      [0.8, 'wrongClass', labelsOf(a).find((label) => label.box[0] === 20)!.id],
    ])
    expect(first.missed).toEqual([])
    const second = evaluateImage(project.db, runId, b)
    expect(second.detections.map((d) => d.verdict)).toEqual(['background'])
    expect(second.missed).toEqual([{ labelId: labelsOf(b)[0]!.id, classId: labelsOf(b)[0]!.classId, box: box(60) }])
    expect(evaluateImage(project.db, runId, e)).toMatchObject({ reviewed: false, hasResult: true, detections: [{ verdict: 'truePositive' }] })
    expect(evaluateImage(project.db, runId, f)).toEqual({ imageId: f, runId, reviewed: true, hasResult: false, detections: [], missed: [] })
    expect(() => evaluateImage(project.db, runId + 5, a)).toThrow(/no run #/)
    expect(() => evaluateImage(project.db, runId, 9999)).toThrow(/no image with id 9999/)
    expect(() => scoreScope(project.db, { runId: runId + 5 })).toThrow(/no run #/)
  })

  it('keeps the last scoring until an edit, a review or another connection’s run changes the data', () => {
    const { db } = project
    const cache = new EvaluationCache()
    const first = cache.report(db, { runId }, 0.9)
    expect(cache.report(db, { runId }, 0.9)).toBe(first)
    cache.report(db, { runId }, 0.5)
    cache.scored(db, { runId })
    expect(cache.scorings).toBe(1)

    const [, b, , , e] = ids as [number, number, number, number, number]
    applyLabelChanges(db, b, 'delete', [{ op: 'delete', annotationId: listAnnotations(db, b)[0]!.id }], '2026-03-01T11:00:00.000Z')
    expect(cache.report(db, { runId }, 0.9).primary.confusion.counts[0]![3]).toBe(0) // the missed label is gone
    expect(cache.scorings).toBe(2)

    setImageReviewed(db, e, true, '2026-03-01T11:01:00.000Z')
    expect(cache.report(db, { runId }, 0.9).images).toBe(5)
    expect(cache.scorings).toBe(3)

    const worker = openDatabase(project.file, { mustExist: true })
    try {
      const secondRun = startRun(worker)
      recordImageResults(worker, secondRun, [{ imageId: b, state: 'done', detections: [] }], testTime)
    } finally {
      worker.close()
    }
    cache.scored(db, { runId })
    expect(cache.scorings).toBe(4)
    cache.scored(db, { runId })
    cache.scored(db, { runId, folder: 'val' })
    expect(cache.scorings).toBe(5)
  })

  it('serves two runs compared either way round from one scoring', () => {
    const { db } = project
    const secondRun = startRun(db)
    recordImageResults(db, secondRun, ids.slice(0, 4).map((imageId) => ({ imageId, state: 'done' as const, detections: [{ classIndex: CAT, score: 0.99, box: box(0) }] })), testTime)
    const cache = new EvaluationCache()
    const forward = cache.report(db, { runId, compareRunId: secondRun }, 0.9)
    const backward = cache.report(db, { runId: secondRun, compareRunId: runId }, 0.9)
    expect(cache.scorings).toBe(1)
    expect(forward.primary.run.id).toBe(runId)
    expect(backward.primary).toEqual(forward.comparison)
    expect(backward.comparison).toEqual(forward.primary)
    expect(cache.scored(db, { runId: secondRun, compareRunId: runId }).primary.run.id).toBe(secondRun)
    expect(cache.scored(db, { runId, compareRunId: secondRun }).primary.run.id).toBe(runId)
    expect(cache.scorings).toBe(1)
    // Uncached, the other way round gives the same figures.
    expect(evaluateScope(db, { runId: secondRun, compareRunId: runId }, 0.9)).toEqual(backward)
  })
})
