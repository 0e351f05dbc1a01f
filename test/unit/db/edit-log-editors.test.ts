import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { openDatabase } from '../../../src-main/core/db/connection'
import { applyLabelChanges, peekHistory, redoEdit, undoLastEdit } from '../../../src-main/core/db/edit-log-repository'
import { addImages, createTemporaryProject, startRun, type TemporaryProject, testTime } from './project-database-fixture'

/** Two windows on one project, each with its own editor identity. */
const WINDOW_A = 'window-a-0001'
const WINDOW_B = 'window-b-0002'

let project: TemporaryProject
let imageId: number
let catId: number
let dogId: number

beforeEach(async () => {
  project = await createTemporaryProject('rw-edit-log-editors-')
  ;[imageId] = addImages(project.db, ['a.png']) as [number]
  startRun(project.db) // creates the classes cat, dog, bird
  const classId = project.db.prepare('SELECT id FROM classes WHERE name = ?').pluck()
  catId = classId.get('cat') as number
  dogId = classId.get('dog') as number
})

afterEach(async () => {
  await project.dispose()
})

const boxes = () => listAnnotations(project.db, imageId).map((label) => label.box)
const draw = (editorId: string | undefined, x: number) =>
  applyLabelChanges(project.db, imageId, 'draw', [{ op: 'create', state: { classId: catId, box: [x, x, x + 1, x + 1] } }], testTime, {
    editorId,
  }).entries[0]!.annotationId

describe('edit log with one history per window', () => {
  it('undoes only the calling window\'s edits, newest first', () => {
    draw(WINDOW_A, 0)
    draw(WINDOW_B, 2)
    draw(WINDOW_A, 4)

    expect(undoLastEdit(project.db, testTime, WINDOW_B)?.map((gesture) => gesture.editorId)).toEqual([WINDOW_B])
    expect(boxes()).toEqual([[0, 0, 1, 1], [4, 4, 5, 5]])
    expect(undoLastEdit(project.db, testTime, WINDOW_B)).toBeUndefined()
    expect(peekHistory(project.db, WINDOW_B)).toEqual({ undo: null, redo: { command: 'draw', imageId } })
    expect(peekHistory(project.db, WINDOW_A)).toEqual({ undo: { command: 'draw', imageId }, redo: null })

    undoLastEdit(project.db, testTime, WINDOW_A)
    expect(boxes()).toEqual([[0, 0, 1, 1]])
  })

  it("keeps a window's redo steps when another window edits", () => {
    draw(WINDOW_A, 0)
    undoLastEdit(project.db, testTime, WINDOW_A)
    draw(WINDOW_B, 2)
    expect(peekHistory(project.db, WINDOW_A).redo).toEqual({ command: 'draw', imageId })
    expect(redoEdit(project.db, testTime, WINDOW_A)).toHaveLength(1)
    expect(boxes()).toEqual([[0, 0, 1, 1], [2, 2, 3, 3]])
    draw(WINDOW_A, 4)
    undoLastEdit(project.db, testTime, WINDOW_A)
    draw(WINDOW_A, 6) // a window's own new edit drops its own redo steps, as before
    expect(redoEdit(project.db, testTime, WINDOW_A)).toBeUndefined()
  })

  it('refuses to undo an edit another window changed since, and takes it off the history', () => {
    const label = draw(WINDOW_A, 0)
    draw(WINDOW_A, 4)
    applyLabelChanges(project.db, imageId, 'move', [{ op: 'update', annotationId: label, state: { classId: dogId, box: [1, 1, 2, 2] } }], testTime, {
      editorId: WINDOW_B,
    })
    // The newer draw of A is untouched: it undoes.
    expect(undoLastEdit(project.db, testTime, WINDOW_A)).toHaveLength(1)
    // A's first draw was moved by B: undoing it would delete B's work.
    expect(() => undoLastEdit(project.db, testTime, WINDOW_A)).toThrow(/another window changed/)
    expect(listAnnotations(project.db, imageId).map(({ classId, box }) => ({ classId, box }))).toEqual([{ classId: dogId, box: [1, 1, 2, 2] }])
    // Refused once, that step is no longer A's to undo; B's move still is B's.
    expect(peekHistory(project.db, WINDOW_A).undo).toBeNull()
    expect(undoLastEdit(project.db, testTime, WINDOW_A)).toBeUndefined()
    expect(undoLastEdit(project.db, testTime, WINDOW_B)?.[0]?.command).toBe('move')
  })

  it("leaves another window's delete alone: undo in the window that did nothing has nothing to undo", () => {
    const label = draw(WINDOW_A, 0)
    applyLabelChanges(project.db, imageId, 'delete', [{ op: 'delete', annotationId: label }], testTime, { editorId: WINDOW_B })
    expect(undoLastEdit(project.db, testTime, 'window-c-0003')).toBeUndefined()
    // A's draw is gone (B deleted the box): undoing it now would undo B's delete, so it is refused.
    expect(() => undoLastEdit(project.db, testTime, WINDOW_A)).toThrow(/another window changed/)
    expect(boxes()).toEqual([])
    expect(undoLastEdit(project.db, testTime, WINDOW_B)?.[0]?.command).toBe('delete')
    expect(boxes()).toEqual([[0, 0, 1, 1]])
  })

  it('refuses a redo when another window changed the label after the undo', () => {
    const label = draw(WINDOW_A, 0)
    applyLabelChanges(project.db, imageId, 'move', [{ op: 'update', annotationId: label, state: { classId: catId, box: [2, 2, 3, 3] } }], testTime, {
      editorId: WINDOW_A,
    })
    undoLastEdit(project.db, testTime, WINDOW_A)
    applyLabelChanges(project.db, imageId, 'delete', [{ op: 'delete', annotationId: label }], testTime, { editorId: WINDOW_B })
    expect(() => redoEdit(project.db, testTime, WINDOW_A)).toThrow(/another window changed/)
    expect(boxes()).toEqual([])
    expect(peekHistory(project.db, WINDOW_A).redo).toBeNull()
  })

  it('lets any window undo edits made without an identity (older files, imports, scripts)', () => {
    draw(undefined, 0)
    draw(WINDOW_A, 2)
    expect(undoLastEdit(project.db, testTime, WINDOW_B)?.[0]?.editorId).toBeNull()
    expect(boxes()).toEqual([[2, 2, 3, 3]])
    // A caller without an identity undoes only identity-less steps.
    expect(undoLastEdit(project.db, testTime)).toBeUndefined()
    expect(undoLastEdit(project.db, testTime, WINDOW_A)?.[0]?.editorId).toBe(WINDOW_A)
  })

  it("keeps each window's history when the project is closed and opened again", () => {
    draw(WINDOW_A, 0)
    draw(WINDOW_B, 2)
    project.db.close()
    const reopened = openDatabase(project.file, { mustExist: true })
    project.db = reopened
    expect(undoLastEdit(reopened, testTime, WINDOW_A)?.[0]?.editorId).toBe(WINDOW_A)
    expect(boxes()).toEqual([[2, 2, 3, 3]])
  })
})
