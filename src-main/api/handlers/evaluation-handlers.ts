import { EvaluationCache } from '../../core/evaluation/evaluation-cache'
import { listSelectionImages, selectionBoxes } from '../../core/evaluation/evaluation-selection'
import { evaluateImage } from '../../core/evaluation/image-evaluation'
import { DEFAULT_TARGET_PRECISION } from '../../core/evaluation/scope-scoring'
import type { ApiContext } from '../api-context'
import type { AreaHandlers } from './handler-types'

type EvaluationMethod = 'evaluation.evaluate' | 'evaluation.images' | 'evaluation.forImage'

/** A run scored against the reviewed labels, the images behind any figure of it, and one image judged. */
export function createEvaluationHandlers(context: ApiContext): AreaHandlers<EvaluationMethod> {
  // One per API context: following a report's cells reuses its scoring until the data changes.
  const cache = new EvaluationCache()
  return {
    'evaluation.evaluate': ({ targetPrecision, ...scope }) => cache.report(context.projects.requireOpen().db, scope, targetPrecision ?? DEFAULT_TARGET_PRECISION),
    'evaluation.images': ({ selection, ...scope }) => {
      const { db } = context.projects.requireOpen()
      const { primary } = cache.scored(db, scope)
      return listSelectionImages(db, primary.rows.imageIds, selectionBoxes(primary.scored, selection))
    },
    'evaluation.forImage': ({ runId, imageId }) => evaluateImage(context.projects.requireOpen().db, runId, imageId),
  }
}
