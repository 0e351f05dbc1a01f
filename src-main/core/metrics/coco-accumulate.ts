/**
 * COCOeval.accumulate(): for every category, area range and maxDets, the detections of all
 * images ranked by score (stable: image order, then rank, as pycocotools' mergesort of the
 * concatenated per-image lists), true and false positives summed along the ranking at each IoU
 * threshold, precision made non-increasing from the right, and read at the 101 recall
 * thresholds with numpy's searchsorted(side='left'); 0 past the highest recall reached, −1 for
 * a category with no counted ground truth in that range. Like pycocotools' eval['scores'], each
 * recall threshold also records the score of the ranked detection precision is read at (the
 * first detection at recall 0), 0 past the highest recall.
 */
import { AREA_RANGES, IOU_THRESHOLDS, MAX_DETECTIONS, PRECISION_EPSILON, RECALL_THRESHOLDS } from './coco-parameters'
import { DetectionOutcome, type CategoryMatches } from './coco-matching'

export interface AccumulatedEvaluation {
  /** Shape [T, R, K, A, M] in row-major order, like pycocotools' eval['precision']. */
  precision: Float64Array
  /** Shape [T, K, A, M], like eval['recall']. */
  recall: Float64Array
  /** Shape [T, R, K, A, M], like eval['scores']: the score where the ranking reaches each recall threshold. */
  scores: Float64Array
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
  const scores = new Float64Array(T * R * K * A * M).fill(-1)
  const largest = categories.reduce((most, c) => Math.max(most, c.count), 0)
  const ranked = new Int32Array(largest)
  const envelope = new Float64Array(largest + 1)
  /** truePositiveScore[n]: the score of the n-th true positive along the ranking. */
  const truePositiveScore = new Float64Array(largest + 1)

  categories.forEach((matches, k) => {
    const order = rankByScore(matches)
    for (let m = 0; m < M; m++) {
      // The ranking cut to each image's best maxDets: a subsequence of a stable ranking is the
      // stable ranking of that subsequence, so one sort serves every maxDets.
      const maxDetections = MAX_DETECTIONS[m]!
      let count = 0
      for (let i = 0; i < order.length; i++) if (matches.rank[order[i]!]! < maxDetections) ranked[count++] = order[i]!
      for (let a = 0; a < A; a++) {
        const counted = matches.groundTruthCount[a]!
        if (counted === 0) continue
        for (let t = 0; t < T; t++) {
          const outcomes = (a * T + t) * matches.count
          // pycocotools' precision is tp / (fp + tp + eps) at every ranked detection, made
          // non-increasing from the right, and read where recall first reaches each threshold.
          // Recall only rises at a true positive and precision only falls between two, so both
          // readings land on true positives: keep precision there only. envelope[n] is the
          // precision at the n-th true positive (recall n / counted).
          let truePositives = 0
          let falsePositives = 0
          for (let i = 0; i < count; i++) {
            const outcome = matches.outcome[outcomes + ranked[i]!]
            if (outcome === DetectionOutcome.FalsePositive) falsePositives++
            else if (outcome === DetectionOutcome.TruePositive) {
              truePositives++
              envelope[truePositives] = truePositives / (falsePositives + truePositives + PRECISION_EPSILON)
              truePositiveScore[truePositives] = matches.score[ranked[i]!]!
            }
          }
          recall[((t * K + k) * A + a) * M + m] = truePositives / counted
          for (let n = truePositives - 1; n >= 1; n--) if (envelope[n + 1]! > envelope[n]!) envelope[n] = envelope[n + 1]!
          // Recall thresholds ascend: one forward walk is searchsorted(side='left') for all of them.
          // searchsorted(side='left') of recall 0 is the first ranked detection, whatever its outcome.
          const firstScore = count > 0 ? matches.score[ranked[0]!]! : 0
          let n = 1
          for (let r = 0; r < R; r++) {
            const wanted = RECALL_THRESHOLDS[r]!
            while (n <= truePositives && n / counted < wanted) n++
            const cell = (((t * R + r) * K + k) * A + a) * M + m
            precision[cell] = n <= truePositives ? envelope[n]! : 0
            scores[cell] = wanted === 0 ? firstScore : n <= truePositives ? truePositiveScore[n]! : 0
          }
        }
      }
    }
  })
  return { precision, recall, scores, counts: { T, R, K, A, M } }
}
