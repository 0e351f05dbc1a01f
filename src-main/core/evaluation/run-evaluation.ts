/**
 * One scored run as the evaluation view receives it (the contract's RunEvaluation): the CLI's
 * figures plus, per class, the precision curve at IoU 0.5 with its scores and the score
 * histograms, threshold suggestions for the asked precision, and the effort as medians and totals.
 * Everything is linear in the evaluated boxes (the suggestions sort each class once).
 */
import { basename } from 'node:path'
import type { CorrectionEffortFigures, RunEvaluation, SpanFigures } from '../../../src-shared/api/evaluation-types'
import { precisionCurve } from '../metrics/coco-evaluation'
import { scoreHistograms } from '../metrics/score-histogram'
import { suggestThresholds } from '../metrics/threshold-suggestions'
import type { ScoredRun } from './scope-scoring'

/** Median, total and count of a list of seconds; the median is null for an empty list. */
export function spanFigures(values: readonly number[]): SpanFigures {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  const median = sorted.length === 0 ? null : sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, total: sorted.reduce((sum, value) => sum + value, 0), count: sorted.length }
}

export function effortFigures(scored: ScoredRun): CorrectionEffortFigures {
  const { effort } = scored
  return {
    detections: effort.detections,
    labelsAddedByHand: effort.labelsAddedByHand,
    editedImages: effort.editedImages,
    edits: effort.edits,
    editSpanSeconds: spanFigures(effort.editSpanSeconds),
    reviewSeconds: spanFigures(effort.reviewSeconds),
  }
}

export function describeRunEvaluation(scored: ScoredRun, targetPrecision: number, bins: number): RunEvaluation {
  const { run, thresholds } = scored
  const { result, classes, evaluation } = scored.scored
  // The scoring suggested thresholds for its own target already; others are worked out again.
  const suggestions =
    targetPrecision === result.targetPrecision ? result.perClass.map((entry) => entry.suggestedThresholds) : suggestThresholds(evaluation, targetPrecision)
  const histograms = scoreHistograms(evaluation, bins)
  return {
    run: { id: run.id, model: basename(run.modelPath), startedAt: run.startedAt },
    labelThreshold: { score: thresholds.score, perClass: Object.fromEntries(thresholds.perClass) },
    summary: result.summary,
    operatingPoint: result.operatingPoint,
    perClass: result.perClass.map(({ id, suggestedThresholds: _cliSuggestions, ...figures }, k) => ({
      ...figures,
      classId: id,
      color: classes[k]!.color,
      suggestedThresholds: { bestF1: suggestions[k]!.bestF1, forPrecision: suggestions[k]!.forPrecision },
      curve: precisionCurve(evaluation, k),
      histogram: histograms.perCategory[k]!,
    })),
    confusion: {
      iouThreshold: result.confusion.iouThreshold,
      rows: result.confusion.rows,
      columns: result.confusion.columns,
      classIds: classes.map((entry) => entry.id),
      counts: result.confusion.counts,
    },
    histogram: histograms.overall,
    effort: effortFigures(scored),
  }
}
