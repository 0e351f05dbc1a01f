import type { LabelThresholds } from '@shared/api/label-types'
import type { SqliteDatabase } from '../../core/db/connection'
import { changeLabelThresholds } from '../../core/db/label-derivation'
import {
  type ClassThresholds,
  findProjectLabelThresholds,
  modelDefaultThresholds,
} from '../../core/db/label-thresholds-repository'
import { readHistoryState, readImageLabels } from '../../core/labels/image-labels'
import { applyEdit, type StepResult } from '../../core/labels/label-edits'
import type { ApiContext } from '../api-context'
import type { LabelThresholdConfig } from '../../core/detect/types'
import type { AreaHandlers } from './handler-types'

type LabelMethod =
  | 'labels.forImage'
  | 'labels.edit'
  | 'labels.undo'
  | 'labels.redo'
  | 'labels.history'
  | 'labelThresholds.get'
  | 'labelThresholds.set'

const toPlain = (perClass: ReadonlyMap<number, number>): Record<number, number> => Object.fromEntries(perClass)

/** `nextModelPoint`: the operating point of the model the next run will use (for a project without runs). */
function readThresholds(db: SqliteDatabase, nextModelPoint: LabelThresholdConfig | undefined): LabelThresholds {
  const model = modelDefaultThresholds(db, nextModelPoint)
  const current = findProjectLabelThresholds(db) ?? model
  return {
    score: current.score,
    perClass: toPlain(current.perClass),
    modelDefault: { score: model.score, perClass: toPlain(model.perClass) },
  }
}

/** Labels of an image, the edits that change them (one undo step each), history and label thresholds. */
export function createLabelHandlers(context: ApiContext): AreaHandlers<LabelMethod> {
  const announce = (step: StepResult | null, changeId: string | undefined) => {
    if (step) context.events.emit({ type: 'labels.changed', imageIds: step.imageIds, ...(changeId ? { changeId } : {}) })
    return step?.outcome ?? null
  }
  const now = () => new Date().toISOString()
  const openProject = () => context.projects.requireOpen()

  return {
    'labels.forImage': ({ imageId }) => readImageLabels(context.projects.requireOpen().db, imageId),
    'labels.edit': ({ changeId, ...edit }) => announce(applyEdit(context.projects.requireOpen().db, edit, now()), changeId)!,
    // A step may be a whole import: undone or redone in the write worker.
    'labels.undo': async ({ editorId, changeId }) =>
      announce(await context.writes.inWorker(openProject, (worker) => worker.call('undo', { now: now(), editorId })), changeId),
    'labels.redo': async ({ editorId, changeId }) =>
      announce(await context.writes.inWorker(openProject, (worker) => worker.call('redo', { now: now(), editorId })), changeId),
    'labels.history': ({ editorId }) => readHistoryState(context.projects.requireOpen().db, editorId),

    'labelThresholds.get': async () => {
      const { db } = context.projects.requireOpen()
      return readThresholds(db, await context.runs.nextModelOperatingPoint())
    },
    'labelThresholds.set': async ({ score, perClass }) => {
      const nextModelPoint = await context.runs.nextModelOperatingPoint()
      const { db } = context.projects.requireOpen()
      const thresholds: ClassThresholds = {
        score,
        perClass: new Map(Object.entries(perClass ?? {}).map(([classId, value]) => [Number(classId), value])),
      }
      const outcome = changeLabelThresholds(db, thresholds, now())
      if (outcome.changedImageIds.length > 0) {
        context.events.emit({ type: 'labels.changed', imageIds: outcome.changedImageIds })
        context.events.emit({ type: 'images.changed' })
      }
      const current = readThresholds(db, nextModelPoint)
      context.events.emit({ type: 'labelThresholds.changed', thresholds: current })
      return {
        thresholds: current,
        imagesChanged: outcome.changedImageIds.length,
        labelsBefore: outcome.labelsBefore,
        labelsAfter: outcome.labelsAfter,
      }
    },
  }
}
