/**
 * The one evaluation path: COCOeval (bbox) evaluate → accumulate → summarize, as pycocotools
 * computes it, plus what the product reads off the same matching (per-class AP, precision
 * curves). Operating points, the confusion matrix and threshold suggestions build on the
 * returned matches.
 */
import { accumulate, type AccumulatedEvaluation } from './coco-accumulate'
import { matchDetections, type MatchResult } from './coco-matching'
import { IOU_50_INDEX, MAX_DETECTIONS, RECALL_THRESHOLDS } from './coco-parameters'
import { categoryAveragePrecision, summarize, type CocoSummary } from './coco-statistics'
import type { EvaluationInput } from './evaluation-input'

export interface CategoryResult {
  category: number
  /** AP at IoU 0.50:0.95 (area all, 100 detections); null when the category has no counted ground truth. */
  ap: number | null
  ap50: number | null
  /** Ground-truth boxes that count (not crowd). */
  groundTruthCount: number
  /** Detections evaluated (at most 100 per image). */
  detectionCount: number
}

export interface CocoEvaluation {
  input: EvaluationInput
  summary: CocoSummary
  perCategory: CategoryResult[]
  matches: MatchResult
  accumulated: AccumulatedEvaluation
}

export function evaluateCoco(input: EvaluationInput): CocoEvaluation {
  const matches = matchDetections(input, MAX_DETECTIONS[MAX_DETECTIONS.length - 1])
  const accumulated = accumulate(matches.categories)
  const perCategory = matches.categories.map((category, index) => ({
    category: index,
    ...categoryAveragePrecision(accumulated, index),
    groundTruthCount: category.groundTruthCount[0]!,
    detectionCount: category.count,
  }))
  return { input, summary: summarize(accumulated), perCategory, matches, accumulated }
}

/**
 * The 101-point interpolated precision curve of one category (area all, 100 detections) at one
 * IoU threshold index (default IoU 0.5): the points (recall threshold, precision) pycocotools
 * averages, each with the score the ranking reaches it at (pycocotools' eval['scores']); empty
 * when the category has no counted ground truth.
 */
export function precisionCurve(evaluation: CocoEvaluation, category: number, iouIndex = IOU_50_INDEX): { recall: number; precision: number; score: number }[] {
  const { precision, scores, counts } = evaluation.accumulated
  const { R, K, A, M } = counts
  const points = RECALL_THRESHOLDS.map((recall, r) => {
    const cell = (((iouIndex * R + r) * K + category) * A + 0) * M + (M - 1)
    return { recall, precision: precision[cell]!, score: scores[cell]! }
  })
  return points[0]!.precision === -1 ? [] : points
}
