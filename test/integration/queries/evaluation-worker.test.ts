/**
 * The evaluation worker (a QueryWorker over its own read-only connection): it answers what the
 * same functions answer on the app's connection, reads committed data only (an edit still in a
 * transaction is not seen; the committed one is, at the next query), keeps the error codes the
 * API answers with, and ends with its project, failing whatever still waited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { setImageReviewed } from '../../../src-main/core/db/image-status'
import { evaluateScope } from '../../../src-main/core/evaluation/evaluation-report'
import { listSelectionImages, selectionBoxes } from '../../../src-main/core/evaluation/evaluation-selection'
import { evaluateImage } from '../../../src-main/core/evaluation/image-evaluation'
import { ProjectEvaluations } from '../../../src-main/core/evaluation/project-evaluations'
import { scoreScope } from '../../../src-main/core/evaluation/scope-scoring'
import { addImages, createTemporaryProject, startRun, testTime, type TemporaryProject } from '../../unit/db/project-database-fixture'

const box = (x: number) => [x, 0, x + 10, 10] as [number, number, number, number]

let project: TemporaryProject
let evaluations: ProjectEvaluations
let ids: number[]
let runId: number

beforeEach(async () => {
  project = await createTemporaryProject('evaluation-worker-')
  evaluations = new ProjectEvaluations()
  const { db } = project
  ids = addImages(db, ['a.png', 'b.png', 'c.png'])
  runId = startRun(db)
  recordImageResults(
    db,
    runId,
    ids.map((imageId, index) => ({
      imageId,
      state: 'done' as const,
      detections: [
        { classIndex: 0, score: 0.9, box: box(0) },
        { classIndex: 1, score: 0.7 + index / 10, box: box(20) },
      ],
    })),
    testTime,
  )
  for (const imageId of ids) setImageReviewed(db, imageId, true, testTime)
  // One mistake to find: image a's dog was in truth nothing.
  const dog = listAnnotations(db, ids[0]!).find((label) => label.box[0] === 20)!
  applyLabelChanges(db, ids[0]!, 'delete', [{ op: 'delete', annotationId: dog.id }], testTime)
})
afterEach(async () => {
  await evaluations.close()
  await project.dispose()
})

describe('evaluation worker', () => {
  it('answers what the same queries answer on the app’s own connection', async () => {
    const worker = evaluations.of(project.file)
    const report = await worker.call('evaluate', { scope: { runId }, targetPrecision: 0.9 })
    expect(report).toEqual(evaluateScope(project.db, { runId }, 0.9))
    expect(report.primary.confusion.counts.at(-1)).toEqual([0, 1, 0, 0]) // background row: the deleted dog

    const selection = { kind: 'cell' as const, row: 3, column: 1 }
    const scored = scoreScope(project.db, { runId })
    const images = await worker.call('images', { scope: { runId }, selection })
    expect(images).toEqual(listSelectionImages(project.db, scored.primary.rows.imageIds, selectionBoxes(scored.primary.scored, selection)))
    expect(images).toEqual({ images: [{ imageId: ids[0], relativePath: 'a.png', boxes: 1 }], boxes: 1 })
    expect(await worker.call('forImage', { runId, imageId: ids[0]! })).toEqual(evaluateImage(project.db, runId, ids[0]!))
  })

  it('reads committed data only: an edit in a transaction is not seen, the committed edit is', async () => {
    const worker = evaluations.of(project.file)
    const before = await worker.call('evaluate', { scope: { runId }, targetPrecision: 0.9 })
    const { db } = project
    const cat = listAnnotations(db, ids[1]!).find((label) => label.box[0] === 0)!
    db.exec('BEGIN IMMEDIATE')
    applyLabelChanges(db, ids[1]!, 'delete', [{ op: 'delete', annotationId: cat.id }], testTime)
    expect(await worker.call('evaluate', { scope: { runId }, targetPrecision: 0.9 })).toEqual(before)
    db.exec('COMMIT')
    const after = await worker.call('evaluate', { scope: { runId }, targetPrecision: 0.9 })
    expect(after.primary.confusion.counts.at(-1)![0]).toBe(before.primary.confusion.counts.at(-1)![0]! + 1)
  })

  it('keeps the error codes the API answers with, and goes on answering after an error', async () => {
    const worker = evaluations.of(project.file)
    await expect(worker.call('evaluate', { scope: { runId: runId + 7 }, targetPrecision: 0.9 })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no run #/),
    })
    await expect(worker.call('forImage', { runId, imageId: 9999 })).rejects.toMatchObject({ code: 'not-found' })
    await expect(worker.call('forImage', { runId, imageId: ids[2]! })).resolves.toMatchObject({ imageId: ids[2], reviewed: true })
  })

  it('ends with its project: waiting queries fail with cancelled, the next project gets a new worker', async () => {
    const worker = evaluations.of(project.file)
    const waiting = expect(worker.call('evaluate', { scope: { runId }, targetPrecision: 0.9 })).rejects.toMatchObject({ code: 'cancelled' })
    await evaluations.close()
    await waiting
    await expect(worker.call('forImage', { runId, imageId: ids[0]! })).rejects.toMatchObject({ code: 'cancelled' })
    const next = evaluations.of(project.file)
    expect(next).not.toBe(worker)
    await expect(next.call('forImage', { runId, imageId: ids[0]! })).resolves.toMatchObject({ imageId: ids[0] })
  })

  it('says plainly when the project file cannot be read', async () => {
    const worker = evaluations.of(`${project.folder}/missing.rwproj`)
    await expect(worker.call('forImage', { runId, imageId: ids[0]! })).rejects.toThrow(/missing\.rwproj|does not exist|unable to open/i)
  })
})
