/**
 * Precision and recall at one operating point: detections scoring at least `scoreThreshold`
 * are matched to ground truth of the same class at IoU ≥ `iouThreshold` (greedy, best score first).
 */
import { matchDetections } from './average-precision'
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

export function precisionRecall(images: readonly EvaluatedImage[], iouThreshold: number, scoreThreshold: number): OperatingPoint {
  let truePositives = 0
  let detectionCount = 0
  let truthCount = 0
  for (const image of images) {
    const classes = new Set([...image.groundTruth, ...image.detections].map((b) => b.classIndex))
    for (const c of classes) {
      const truth = image.groundTruth.filter((g) => g.classIndex === c).map((g) => g.box)
      const kept = image.detections.filter((d) => d.classIndex === c && d.score >= scoreThreshold)
      truthCount += truth.length
      detectionCount += kept.length
      truePositives += matchDetections(truth, kept, iouThreshold).filter((m) => m.matched).length
    }
  }
  return {
    truePositives,
    falsePositives: detectionCount - truePositives,
    falseNegatives: truthCount - truePositives,
    precision: detectionCount === 0 ? 1 : truePositives / detectionCount,
    recall: truthCount === 0 ? 1 : truePositives / truthCount,
  }
}
