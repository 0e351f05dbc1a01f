/**
 * COCOeval.accumulate(): for every category, area range and maxDets, the detections of all
 * images ranked by score (stable: image order, then rank, as pycocotools' mergesort of the
 * concatenated per-image lists), true and false positives summed along the ranking at each IoU
 * threshold, precision made non-increasing from the right, and read at the 101 recall
 * thresholds with numpy's searchsorted(side='left'); 0 past the highest recall reached, −1 for
 * a category with no counted ground truth in that range.
 */
import { AREA_RANGES, IOU_THRESHOLDS, MAX_DETECTIONS, PRECISION_EPSILON, RECALL_THRESHOLDS } from './coco-parameters'
import { DetectionOutcome, type CategoryMatches } from './coco-matching'

export interface AccumulatedEvaluation {
  /** Shape [T, R, K, A, M] in row-major order, like pycocotools' eval['precision']. */
  precision: Float64Array
  /** Shape [T, K, A, M], like eval['recall']. */
  recall: Float64Array
  counts: { T: number; R: number; K: number; A: number; M: number }
}

/** Kept detections of one category ranked by score, ties in concatenation order. */
export function rankByScore(matches: CategoryMatches): Int32Array {
  const order = new Int32Array(matches.count)
  for (let i = 0; i < order.length; i++) order[i] = i
  const score = matches.score
  return order.sort((a, b) => score[b]! - score[a]! || a - b)
}

export function accumulate(categories: readonly CategoryMatches[]): AccumulatedEvaluation {
  const T = IOU_THRESHOLDS.length
  const R = RECALL_THRESHOLDS.length
  const K = categories.length
  const A = AREA_RANGES.length
  const M = MAX_DETECTIONS.length
  const precision = new Float64Array(T * R * K * A * M).fill(-1)
  const recall = new Float64Array(T * K * A * M).fill(-1)
  const largest = categories.reduce((most, c) => Math.max(most, c.count), 0)
  const recallAt = new Float64Array(largest)
  const precisionAt = new Float64Array(largest)

  categories.forEach((matches, k) => {
    const order = rankByScore(matches)
    for (let a = 0; a < A; a++) {
      const counted = matches.groundTruthCount[a]!
      if (counted === 0) continue
      for (let m = 0; m < M; m++) {
        const maxDetections = MAX_DETECTIONS[m]!
        for (let t = 0; t < T; t++) {
          const outcomes = (a * T + t) * matches.count
          let truePositives = 0
          let falsePositives = 0
          let ranked = 0
          for (let i = 0; i < order.length; i++) {
            const index = order[i]!
            if (matches.rank[index]! >= maxDetections) continue
            const outcome = matches.outcome[outcomes + index]
            if (outcome === DetectionOutcome.TruePositive) truePositives++
            else if (outcome === DetectionOutcome.FalsePositive) falsePositives++
            recallAt[ranked] = truePositives / counted
            precisionAt[ranked] = truePositives / (falsePositives + truePositives + PRECISION_EPSILON)
            ranked++
          }
          recall[((t * K + k) * A + a) * M + m] = ranked > 0 ? recallAt[ranked - 1]! : 0
          for (let i = ranked - 1; i > 0; i--) if (precisionAt[i]! > precisionAt[i - 1]!) precisionAt[i - 1] = precisionAt[i]!
          // Recall thresholds ascend and recalls never decrease: one forward walk is searchsorted for all.
          let at = 0
          for (let r = 0; r < R; r++) {
            const wanted = RECALL_THRESHOLDS[r]!
            while (at < ranked && recallAt[at]! < wanted) at++
            precision[(((t * R + r) * K + k) * A + a) * M + m] = at < ranked ? precisionAt[at]! : 0
          }
        }
      }
    }
  })
  return { precision, recall, counts: { T, R, K, A, M } }
}
