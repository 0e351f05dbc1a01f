/**
 * The evaluation view's report: a scored scope (one run, or two side by side on the same
 * images) with the folders a person can narrow it to.
 */
import type { EvaluationFolder, EvaluationReport } from '../../../src-shared/api/evaluation-types'
import type { SqliteDatabase } from '../db/connection'
import { readReviewedPaths } from '../db/evaluation-query'
import { compareCodePoints } from '../images/list-image-files'
import { HISTOGRAM_BINS } from '../metrics/score-histogram'
import { describeRunEvaluation } from './run-evaluation'
import { scoreScope, type EvaluationScope, type ScoredScope } from './scope-scoring'

/** Reviewed images per folder (sub-folders included, every ancestor listed), '' first, then path order. */
export function foldersOf(reviewedPaths: readonly string[]): EvaluationFolder[] {
  const counts = new Map<string, number>([['', reviewedPaths.length]])
  for (const path of reviewedPaths) {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash)
      counts.set(folder, (counts.get(folder) ?? 0) + 1)
    }
  }
  return [...counts].map(([folder, reviewedImages]) => ({ folder, reviewedImages })).sort((a, b) => compareCodePoints(a.folder, b.folder))
}

export function buildEvaluationReport(db: SqliteDatabase, scored: ScoredScope, targetPrecision: number): EvaluationReport {
  const { primary, comparison } = scored
  return {
    images: primary.rows.imageIds.length,
    reviewedWithoutResult: primary.rows.reviewedWithoutResult,
    folder: scored.folder,
    folders: foldersOf(readReviewedPaths(db)),
    targetPrecision,
    histogramBins: HISTOGRAM_BINS,
    primary: describeRunEvaluation(primary, targetPrecision, HISTOGRAM_BINS),
    comparison: comparison === null ? null : describeRunEvaluation(comparison, targetPrecision, HISTOGRAM_BINS),
  }
}

/** Scores the scope and reports it. */
export function evaluateScope(db: SqliteDatabase, scope: EvaluationScope, targetPrecision: number): EvaluationReport {
  return buildEvaluationReport(db, scoreScope(db, scope), targetPrecision)
}
