import { DEFAULT_TARGET_PRECISION } from '../../core/evaluation/scope-scoring'
import type { ApiContext } from '../api-context'
import type { AreaHandlers } from './handler-types'

type EvaluationMethod = 'evaluation.evaluate' | 'evaluation.images' | 'evaluation.forImage'

/**
 * A run scored against the reviewed labels, the images behind any figure of it, and one image
 * judged; answered by the open project's evaluation worker, off the thread that answers calls.
 */
export function createEvaluationHandlers(context: ApiContext): AreaHandlers<EvaluationMethod> {
  const worker = () => context.evaluations.of(context.projects.requireOpen().file)
  return {
    'evaluation.evaluate': ({ targetPrecision, ...scope }) =>
      worker().call('evaluate', { scope, targetPrecision: targetPrecision ?? DEFAULT_TARGET_PRECISION }),
    'evaluation.images': ({ selection, ...scope }) => worker().call('images', { scope, selection }),
    'evaluation.forImage': ({ runId, imageId }) => worker().call('forImage', { runId, imageId }),
  }
}
