/**
 * Label-threshold suggestions per class from the COCO matching at IoU 0.5 (area all, at most
 * 100 detections per image): the score cut with the best F1, and the lowest score cut whose
 * precision reaches a target (the most recall at that precision). A cut is only ever placed
 * at a detection's score, and takes every detection of equal score with it.
 */
import { rankByScore } from './coco-accumulate'
import { DetectionOutcome } from './coco-matching'
import type { CocoEvaluation } from './coco-evaluation'
import { IOU_50_INDEX } from './coco-parameters'

export interface ThresholdPoint {
  /** Keep detections scoring at least this. */
  score: number
  precision: number
  recall: number
  f1: number
}

export interface ThresholdSuggestion {
  category: number
  /** Null when the class has no counted ground truth or no true positive. */
  bestF1: ThresholdPoint | null
  /** Null when no cut reaches the target precision. */
  forPrecision: ThresholdPoint | null
  targetPrecision: number
}

export function suggestThresholds(evaluation: CocoEvaluation, targetPrecision = 0.9): ThresholdSuggestion[] {
  return evaluation.matches.categories.map((matches, category) => {
    const groundTruth = matches.groundTruthCount[0]!
    const suggestion: ThresholdSuggestion = { category, bestF1: null, forPrecision: null, targetPrecision }
    if (groundTruth === 0) return suggestion
    const order = rankByScore(matches)
    const outcomes = IOU_50_INDEX * matches.count // area range 0 ("all")
    let truePositives = 0
    let falsePositives = 0
    for (let i = 0; i < order.length; i++) {
      const index = order[i]!
      const outcome = matches.outcome[outcomes + index]
      if (outcome === DetectionOutcome.TruePositive) truePositives++
      else if (outcome === DetectionOutcome.FalsePositive) falsePositives++
      const score = matches.score[index]!
      const next = order[i + 1]
      if (next !== undefined && matches.score[next] === score) continue // a cut takes all equal scores
      if (truePositives === 0) continue
      const precision = truePositives / (truePositives + falsePositives)
      const recall = truePositives / groundTruth
      const candidate = { score, precision, recall, f1: (2 * precision * recall) / (precision + recall) }
      if (suggestion.bestF1 === null || candidate.f1 > suggestion.bestF1.f1) suggestion.bestF1 = candidate
      if (precision >= targetPrecision) suggestion.forPrecision = candidate
    }
    return suggestion
  })
}
