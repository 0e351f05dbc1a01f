import type { EditOutcome, LabelChange } from '@shared/api/label-types'
import { isUsableLabelBox, MIN_LABEL_SIZE } from '../../../src-shared/geometry/box'
import type { SqliteDatabase } from '../db/connection'
import { applyLabelChanges, type EditGesture, type LabelChange as StoredChange, redoEdit, undoLastEdit } from '../db/edit-log-repository'
import { findImage } from '../db/images-repository'
import { AppError } from '../errors'
import { describeOutcome } from './image-labels'

export interface EditRequest {
  /** The window making the edit (its undo history); undefined for callers that are no window. */
  editorId?: string | undefined
  imageId: number
  command: string
  changes: readonly LabelChange[]
}

/** What a step changed, for the `labels.changed` event: every image it touched. */
export interface StepResult {
  outcome: EditOutcome
  imageIds: number[]
}

function toStoredChange(change: LabelChange): StoredChange {
  if (change.op === 'delete') return { op: 'delete', annotationId: change.labelId }
  const state = { classId: change.classId, box: change.box }
  return change.op === 'create'
    ? { op: 'create', state, detectionId: change.detectionId }
    : { op: 'update', annotationId: change.labelId, state }
}

/**
 * Applies one editor gesture to an image's labels as one undo step. Every box must lie inside
 * the image (displayed frame) and be at least MIN_LABEL_SIZE wide and high: the editor keeps
 * boxes inside, so anything else is a client error, refused whole.
 */
export function applyEdit(db: SqliteDatabase, request: EditRequest, now: string): StepResult {
  const image = findImage(db, request.imageId)
  if (!image) throw new AppError('not-found', `This project has no image with id ${request.imageId}.`)
  for (const change of request.changes) {
    if (change.op !== 'delete' && !isUsableLabelBox(change.box, image)) {
      throw new AppError(
        'invalid-argument',
        `Box [${change.box.join(', ')}] does not fit image ${image.relativePath} (${image.width}×${image.height}): ` +
          `a label lies inside the image and is at least ${MIN_LABEL_SIZE} px wide and high.`,
      )
    }
  }
  const gesture = applyLabelChanges(db, request.imageId, request.command, request.changes.map(toStoredChange), now, {
    editorId: request.editorId,
  })
  const createdLabelIds = gesture.entries.filter((entry) => entry.op === 'create').map((entry) => entry.annotationId)
  return { outcome: describeOutcome(db, request.imageId, request.command, createdLabelIds, request.editorId), imageIds: [request.imageId] }
}

function stepResult(db: SqliteDatabase, gestures: EditGesture[] | undefined, editorId: string | undefined): StepResult | null {
  if (!gestures || gestures.length === 0) return null
  // A batch spans images: the editor goes to the first one the step changed.
  const first = gestures.reduce((a, b) => (a.id < b.id ? a : b))
  return {
    outcome: describeOutcome(db, first.imageId, first.command, [], editorId),
    imageIds: [...new Set(gestures.map((gesture) => gesture.imageId))],
  }
}

/**
 * Undoes the window's latest step (`editorId`; see edit-log-repository for whose steps a window
 * reaches). A conflict error, changing nothing, when another window changed its labels since.
 */
export function undo(db: SqliteDatabase, now: string, editorId?: string): StepResult | null {
  return stepResult(db, undoLastEdit(db, now, editorId), editorId)
}

export function redo(db: SqliteDatabase, now: string, editorId?: string): StepResult | null {
  return stepResult(db, redoEdit(db, now, editorId), editorId)
}
