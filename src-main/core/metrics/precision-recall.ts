/**
 * Precision and recall at one operating point, read off the COCO matching: the detections
 * scoring at least `operatingThreshold` are a prefix of each image's best-first list, so their
 * greedy matches are exactly the evaluation's (area all, at most 100 detections per image and
 * class). A detection matched to a crowd region counts as neither true nor false positive.
 */
import { DetectionOutcome } from './coco-matching'
import { evaluateCoco, type CocoEvaluation } from './coco-evaluation'
import { IOU_THRESHOLDS } from './coco-parameters'
import { evaluationInputFromImages } from './evaluation-input'
import type { EvaluatedImage } from './types'

export interface OperatingPoint {
  truePositives: number
  falsePositives: number
  falseNegatives: number
  /** 1 when there are no detections at all. */
  precision: number
  /** 1 when there is no ground truth at all. */
  recall: number
}

function point(truePositives: number, falsePositives: number, groundTruth: number): OperatingPoint {
  const detected = truePositives + falsePositives
  return {
    truePositives,
    falsePositives,
    falseNegatives: groundTruth - truePositives,
    precision: detected === 0 ? 1 : truePositives / detected,
    recall: groundTruth === 0 ? 1 : truePositives / groundTruth,
  }
}

export function iouThresholdIndex(iouThreshold: number): number {
  const index = IOU_THRESHOLDS.findIndex((t) => Math.abs(t - iouThreshold) < 1e-9)
  if (index < 0) throw new RangeError(`IoU threshold ${iouThreshold} is not one of COCO's (${IOU_THRESHOLDS.map((t) => t.toFixed(2)).join(', ')})`)
  return index
}

/**
 * The operating point's score threshold for every category: one for all, or one each (by
 * category index). For a run, these are the label thresholds at which its detections became
 * labels; not the model's decode cutoff, nor the viewer's suggestion threshold.
 */
export type OperatingThresholds = number | readonly number[]

export function thresholdOf(thresholds: OperatingThresholds, category: number): number {
  if (typeof thresholds === 'number') return thresholds
  const threshold = thresholds[category]
  if (threshold === undefined) throw new RangeError(`no score threshold for category ${category}`)
  return threshold
}

/** Overall and per-category operating points at a score threshold (per category if given so) and a COCO IoU threshold. */
export function operatingPoints(evaluation: CocoEvaluation, operatingThreshold: OperatingThresholds, iouThreshold = 0.5): { overall: OperatingPoint; perCategory: OperatingPoint[] } {
  const t = iouThresholdIndex(iouThreshold)
  let truePositives = 0
  let falsePositives = 0
  let groundTruth = 0
  const perCategory = evaluation.matches.categories.map((matches, category) => {
    const threshold = thresholdOf(operatingThreshold, category)
    let categoryTrue = 0
    let categoryFalse = 0
    const outcomes = t * matches.count // area range 0 ("all")
    for (let i = 0; i < matches.count; i++) {
      if (matches.score[i]! < threshold) continue
      const outcome = matches.outcome[outcomes + i]
      if (outcome === DetectionOutcome.TruePositive) categoryTrue++
      else if (outcome === DetectionOutcome.FalsePositive) categoryFalse++
    }
    const categoryTruth = matches.groundTruthCount[0]!
    truePositives += categoryTrue
    falsePositives += categoryFalse
    groundTruth += categoryTruth
    return point(categoryTrue, categoryFalse, categoryTruth)
  })
  return { overall: point(truePositives, falsePositives, groundTruth), perCategory }
}

/** The overall operating point of per-image boxes (class indices 0..n−1), as the model tooling reports it. */
export function precisionRecall(images: readonly EvaluatedImage[], iouThreshold: number, operatingThreshold: number): OperatingPoint {
  let classCount = 1
  for (const image of images) {
    for (const box of [...image.groundTruth, ...image.detections]) classCount = Math.max(classCount, box.classIndex + 1)
  }
  return operatingPoints(evaluateCoco(evaluationInputFromImages(images, classCount)), operatingThreshold, iouThreshold).overall
}
