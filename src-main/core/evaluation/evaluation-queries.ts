/**
 * The evaluation's queries over one connection, answered by the evaluation worker
 * (evaluation-worker.ts) for the API: a report, the images behind one of its figures, one
 * image judged. The cache lives with them, in the worker, so following a report's cells reuses
 * its scoring until the data changes.
 */
import type { EvaluationImages, EvaluationReport, EvaluationSelection, ImageEvaluation } from '../../../src-shared/api/evaluation-types'
import type { SqliteDatabase } from '../db/connection'
import { EvaluationCache } from './evaluation-cache'
import { listSelectionImages, selectionBoxes } from './evaluation-selection'
import { evaluateImage } from './image-evaluation'
import type { EvaluationScope } from './scope-scoring'

export function createEvaluationQueries(db: SqliteDatabase) {
  const cache = new EvaluationCache()
  return {
    evaluate: ({ scope, targetPrecision }: { scope: EvaluationScope; targetPrecision: number }): EvaluationReport =>
      cache.report(db, scope, targetPrecision),
    images: ({ scope, selection }: { scope: EvaluationScope; selection: EvaluationSelection }): EvaluationImages => {
      const { primary } = cache.scored(db, scope)
      return listSelectionImages(db, primary.rows.imageIds, selectionBoxes(primary.scored, selection))
    },
    forImage: ({ runId, imageId }: { runId: number; imageId: number }): ImageEvaluation => evaluateImage(db, runId, imageId),
  }
}

export type EvaluationQueries = ReturnType<typeof createEvaluationQueries>
