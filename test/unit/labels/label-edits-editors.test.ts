import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyEdit, redo, undo } from '../../../src-main/core/labels/label-edits'
import { readHistoryState } from '../../../src-main/core/labels/image-labels'
import { AppError } from '../../../src-main/core/errors'
import { addImages, createTemporaryProject, startRun, type TemporaryProject, testTime } from '../db/project-database-fixture'

const WINDOW_A = 'window-a-0001'
const WINDOW_B = 'window-b-0002'

let project: TemporaryProject
let first: number
let second: number
let catId: number

beforeEach(async () => {
  project = await createTemporaryProject('rw-label-edits-editors-')
  ;[first, second] = addImages(project.db, ['a.png', 'b.png']) as [number, number]
  startRun(project.db)
  catId = project.db.prepare("SELECT id FROM classes WHERE name = 'cat'").pluck().get() as number
})

afterEach(async () => {
  await project.dispose()
})

const drawOn = (editorId: string, imageId: number) =>
  applyEdit(project.db, { editorId, imageId, command: 'draw', changes: [{ op: 'create', classId: catId, box: [1, 1, 3, 3] }] }, testTime)

describe('label edits from two windows', () => {
  it("answers each window with its own history, and undo goes to the window's own image", () => {
    const drawnByA = drawOn(WINDOW_A, first)
    const drawnByB = drawOn(WINDOW_B, second)
    expect(drawnByA.outcome.history).toEqual({ undo: { command: 'draw', imageId: first }, redo: null })
    expect(drawnByB.outcome.history).toEqual({ undo: { command: 'draw', imageId: second }, redo: null })

    const undone = undo(project.db, testTime, WINDOW_A)!
    expect(undone.imageIds).toEqual([first])
    expect(undone.outcome.labels.labels).toEqual([])
    expect(undone.outcome.history).toEqual({ undo: null, redo: { command: 'draw', imageId: first } })
    expect(readHistoryState(project.db, WINDOW_B)).toEqual({ undo: { command: 'draw', imageId: second }, redo: null })
    expect(undo(project.db, testTime, WINDOW_A)).toBeNull()
    expect(redo(project.db, testTime, WINDOW_A)?.imageIds).toEqual([first])
  })

  it('refuses with a conflict error when the other window deleted the label since', () => {
    const label = drawOn(WINDOW_A, first).outcome.createdLabelIds[0]!
    applyEdit(project.db, { editorId: WINDOW_B, imageId: first, command: 'delete', changes: [{ op: 'delete', labelId: label }] }, testTime)
    let refusal: unknown
    try {
      undo(project.db, testTime, WINDOW_A)
    } catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(AppError)
    expect(refusal).toMatchObject({ code: 'conflict', message: expect.stringMatching(/Cannot undo "draw": another window changed label/) })
    expect(readHistoryState(project.db, WINDOW_A).undo).toBeNull()
    expect(readHistoryState(project.db, WINDOW_B).undo).toEqual({ command: 'delete', imageId: first })
  })
})
