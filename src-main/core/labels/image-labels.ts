import { MAX_LABELS_READ, type EditHistoryState, type EditOutcome, type ImageLabels, type Label } from '../../../src-shared/api/label-types'
import { type AnnotationRecord, countImageLabels, isImageTouchedByPerson, listAnnotations } from '../db/annotations-repository'
import type { SqliteDatabase } from '../db/connection'
import { findLatestRunOfImage, listSuggestions } from '../db/detections-repository'
import { peekHistory } from '../db/edit-log-repository'
import { getImageState } from '../db/image-status'
import { AppError } from '../errors'

export function toLabel(record: AnnotationRecord): Label {
  const [x1, y1, x2, y2] = record.box
  return {
    id: record.id,
    classId: record.classId,
    box: [x1, y1, x2, y2],
    origin: record.origin,
    detectionId: record.detectionId,
    score: record.origin === 'detection' ? record.score : null,
    source: record.source,
  }
}

/** An image's labels and suggestions, read in one transaction so they agree. */
export function readImageLabels(db: SqliteDatabase, imageId: number): ImageLabels {
  return db.transaction((): ImageLabels => {
    const state = getImageState(db, imageId)
    if (!state) throw new AppError('not-found', `This project has no image with id ${imageId}.`)
    const runId = findLatestRunOfImage(db, imageId) ?? null
    const labels = listAnnotations(db, imageId, MAX_LABELS_READ)
    return {
      imageId,
      status: state.status,
      touched: isImageTouchedByPerson(db, imageId),
      labels: labels.map(toLabel),
      labelsLeftOut: labels.length < MAX_LABELS_READ ? 0 : countImageLabels(db, imageId) - labels.length,
      runId,
      suggestions: runId === null ? [] : listSuggestions(db, runId, imageId),
    }
  })()
}

export function readHistoryState(db: SqliteDatabase, editorId?: string): EditHistoryState {
  return peekHistory(db, editorId)
}

/** The outcome of a step that changed `imageId`, with what the image and the history look like now. */
export function describeOutcome(
  db: SqliteDatabase,
  imageId: number,
  command: string,
  createdLabelIds: number[],
  editorId?: string,
): EditOutcome {
  return { imageId, command, createdLabelIds, labels: readImageLabels(db, imageId), history: peekHistory(db, editorId) }
}
