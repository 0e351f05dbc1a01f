import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { openDatabase } from '../../../src-main/core/db/connection'
import { countDetectionOutcomes, listDetectionOutcomes } from '../../../src-main/core/db/detection-outcomes'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import {
  applyLabelChanges,
  listEditHistory,
  peekHistory,
  redoEdit,
  undoLastEdit,
} from '../../../src-main/core/db/edit-log-repository'
import { setImageReviewed } from '../../../src-main/core/db/image-status'
import { addImages, createTemporaryProject, startRun, type TemporaryProject, testTime } from './project-database-fixture'

let project: TemporaryProject
let imageId: number
let catId: number
let dogId: number

beforeEach(async () => {
  project = await createTemporaryProject('rw-edit-log-')
  ;[imageId] = addImages(project.db, ['a.png']) as [number]
  startRun(project.db) // creates the classes cat, dog, bird
  const classId = project.db.prepare('SELECT id FROM classes WHERE name = ?').pluck()
  catId = classId.get('cat') as number
  dogId = classId.get('dog') as number
})

afterEach(async () => {
  await project.dispose()
})

const current = () => listAnnotations(project.db, imageId).map(({ classId, box }) => ({ classId, box }))

describe('edit log', () => {
  it('applies a gesture and logs each change as plain data', () => {
    const gesture = applyLabelChanges(
      project.db,
      imageId,
      'draw box',
      [{ op: 'create', state: { classId: catId, box: [1, 2, 3, 4] } }],
      testTime,
    )
    expect(gesture).toMatchObject({ imageId, command: 'draw box', undone: false })
    expect(gesture.entries).toEqual([
      { annotationId: expect.any(Number), op: 'create', before: null, after: { classId: catId, box: [1, 2, 3, 4] } },
    ])
    expect(current()).toEqual([{ classId: catId, box: [1, 2, 3, 4] }])
  })

  it('undoes and redoes after the project is closed and opened again', () => {
    const { db } = project
    const created = applyLabelChanges(db, imageId, 'draw boxes', [
      { op: 'create', state: { classId: catId, box: [0, 0, 10, 10] } },
      { op: 'create', state: { classId: dogId, box: [20, 20, 30, 30] } },
    ], testTime)
    const [first, second] = created.entries.map((entry) => entry.annotationId) as [number, number]
    applyLabelChanges(db, imageId, 'move and relabel', [
      { op: 'update', annotationId: first, state: { classId: dogId, box: [5, 5, 15, 15] } },
      { op: 'delete', annotationId: second },
    ], testTime)
    const edited = current()
    db.close()

    project.db = openDatabase(project.file, { mustExist: true })
    const reopened = project.db
    expect(listEditHistory(reopened, imageId).map((gesture) => gesture.command)).toEqual(['draw boxes', 'move and relabel'])
    expect(undoLastEdit(reopened, testTime)?.[0]?.command).toBe('move and relabel')
    expect(current()).toEqual([
      { classId: catId, box: [0, 0, 10, 10] },
      { classId: dogId, box: [20, 20, 30, 30] },
    ])
    expect(undoLastEdit(reopened, testTime)?.[0]?.command).toBe('draw boxes')
    expect(current()).toEqual([])
    expect(undoLastEdit(reopened, testTime)).toBeUndefined()

    expect(redoEdit(reopened, testTime)?.[0]?.command).toBe('draw boxes')
    expect(redoEdit(reopened, testTime)?.[0]?.command).toBe('move and relabel')
    expect(current()).toEqual(edited)
    expect(redoEdit(reopened, testTime)).toBeUndefined()
    // Undo restores the very same rows, so later log entries stay valid.
    expect(listAnnotations(reopened, imageId).map((annotation) => annotation.id)).toEqual([first])
  })

  it('drops the redo steps when a new gesture follows an undo', () => {
    const { db } = project
    applyLabelChanges(db, imageId, 'draw box', [{ op: 'create', state: { classId: catId, box: [0, 0, 1, 1] } }], testTime)
    applyLabelChanges(db, imageId, 'draw box', [{ op: 'create', state: { classId: catId, box: [2, 2, 3, 3] } }], testTime)
    undoLastEdit(db, testTime)
    applyLabelChanges(db, imageId, 'draw box', [{ op: 'create', state: { classId: dogId, box: [4, 4, 5, 5] } }], testTime)
    expect(redoEdit(db, testTime)).toBeUndefined()
    expect(listEditHistory(db, imageId).map((gesture) => gesture.undone)).toEqual([false, false])
    expect(current().map((label) => label.box)).toEqual([
      [0, 0, 1, 1],
      [4, 4, 5, 5],
    ])
  })

  it('refuses a change to a label of another image, a deleted label, or an unknown class, writing nothing', () => {
    const { db } = project
    const [other] = addImages(db, ['b.png'])
    const foreign = applyLabelChanges(db, other!, 'draw box', [{ op: 'create', state: { classId: catId, box: [0, 0, 1, 1] } }], testTime)
    const foreignId = foreign.entries[0]!.annotationId
    expect(() => applyLabelChanges(db, imageId, 'delete box', [{ op: 'delete', annotationId: foreignId }], testTime)).toThrow(
      /has no label with id/,
    )
    expect(() =>
      applyLabelChanges(db, imageId, 'draw boxes', [
        { op: 'create', state: { classId: catId, box: [0, 0, 1, 1] } },
        { op: 'create', state: { classId: 999, box: [0, 0, 1, 1] } },
      ], testTime),
    ).toThrow(/no class with id 999/)
    expect(() =>
      applyLabelChanges(db, imageId, 'draw box', [{ op: 'create', state: { classId: catId, box: [5, 0, 1, 1] } }], testTime),
    ).toThrow(/is not a box/)
    expect(current()).toEqual([])
    expect(listEditHistory(db, imageId)).toEqual([])
  })
})

describe('project-wide history', () => {
  it('undoes the latest step of the project whichever image it changed, and redoes in order', () => {
    const { db } = project
    const [other] = addImages(db, ['b.png']) as [number]
    applyLabelChanges(db, imageId, 'draw', [{ op: 'create', state: { classId: catId, box: [0, 0, 1, 1] } }], testTime)
    applyLabelChanges(db, other, 'draw', [{ op: 'create', state: { classId: dogId, box: [2, 2, 3, 3] } }], testTime)
    expect(peekHistory(db)).toEqual({ undo: { command: 'draw', imageId: other }, redo: null })
    expect(undoLastEdit(db, testTime)?.map((gesture) => gesture.imageId)).toEqual([other])
    expect(undoLastEdit(db, testTime)?.map((gesture) => gesture.imageId)).toEqual([imageId])
    expect(peekHistory(db)).toEqual({ undo: null, redo: { command: 'draw', imageId } })
    expect(redoEdit(db, testTime)?.map((gesture) => gesture.imageId)).toEqual([imageId])
    expect(current()).toEqual([{ classId: catId, box: [0, 0, 1, 1] }])
    // A new gesture anywhere drops every redo step.
    applyLabelChanges(db, imageId, 'draw', [{ op: 'create', state: { classId: catId, box: [4, 4, 5, 5] } }], testTime)
    expect(redoEdit(db, testTime)).toBeUndefined()
  })

  it('undoes and redoes the gestures of one batch (an import over several images) as one step', () => {
    const { db } = project
    const [other] = addImages(db, ['b.png']) as [number]
    applyLabelChanges(db, imageId, 'draw', [{ op: 'create', state: { classId: catId, box: [0, 0, 1, 1] } }], testTime)
    db.transaction(() => {
      const first = applyLabelChanges(db, imageId, 'import', [{ op: 'create', state: { classId: dogId, box: [5, 5, 6, 6] } }], testTime)
      db.prepare('UPDATE edit_gestures SET batch_id = id WHERE id = ?').run(first.id)
      applyLabelChanges(db, other, 'import', [{ op: 'create', state: { classId: dogId, box: [7, 7, 8, 8] } }], testTime, {
        batchId: first.id,
      })
    })()
    const undone = undoLastEdit(db, testTime)!
    expect(undone.map((gesture) => gesture.imageId)).toEqual([other, imageId])
    expect(current()).toEqual([{ classId: catId, box: [0, 0, 1, 1] }])
    expect(listAnnotations(db, other)).toEqual([])
    expect(redoEdit(db, testTime)?.map((gesture) => gesture.imageId)).toEqual([imageId, other])
    expect(listAnnotations(db, other)).toHaveLength(1)
  })
})

describe('what became of each detection', () => {
  it('tells kept, moved, relabelled, deleted and unlabelled detections apart', () => {
    const { db } = project
    const runId = db.prepare('SELECT max(id) FROM runs').pluck().get() as number
    recordImageResults(db, runId, [
      {
        imageId,
        state: 'done',
        detections: [
          { classIndex: 0, score: 0.9, box: [0, 0, 10, 10] }, // kept
          { classIndex: 0, score: 0.9, box: [20, 0, 30, 10] }, // moved
          { classIndex: 0, score: 0.9, box: [40, 0, 50, 10] }, // relabelled
          { classIndex: 0, score: 0.9, box: [60, 0, 70, 10] }, // deleted
          { classIndex: 0, score: 0.1, box: [80, 0, 90, 10] }, // below the threshold
        ],
      },
    ], testTime)
    const labels = listAnnotations(db, imageId)
    const byX = (x: number) => labels.find((label) => label.box[0] === x)!
    applyLabelChanges(db, imageId, 'review', [
      { op: 'update', annotationId: byX(20).id, state: { classId: catId, box: [22, 0, 32, 10] } },
      { op: 'update', annotationId: byX(40).id, state: { classId: dogId, box: [40, 0, 50, 10] } },
      { op: 'delete', annotationId: byX(60).id },
    ], testTime)

    expect([...listDetectionOutcomes(db, runId, imageId).values()]).toEqual(['kept', 'moved', 'relabelled', 'deleted', 'unlabelled'])
    expect(countDetectionOutcomes(db, runId, true)).toMatchObject({ kept: 0, deleted: 0 })
    setImageReviewed(db, imageId, true, 'now')
    expect(countDetectionOutcomes(db, runId, true)).toEqual({
      kept: 1,
      moved: 1,
      relabelled: 1,
      movedAndRelabelled: 0,
      deleted: 1,
      unlabelled: 1,
    })
  })
})
