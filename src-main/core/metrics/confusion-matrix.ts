/**
 * The confusion matrix at IoU 0.5 and a score threshold (one, or one per class). Rows are the ground truth's classes
 * plus "background" (a detection that overlaps no box), columns the detected classes plus
 * "missed" (a box no detection found). The diagonal is the COCO matching's true positives (the
 * same as the operating point's); then, image by image and best score first, each remaining
 * false positive takes the still-unfound box of another class it overlaps most (IoU ≥ 0.5): a
 * class confusion. What is left are background detections and missed boxes. Crowd regions and
 * the detections they absorb are left out, as COCO ignores them. The boxes are judged by
 * box-classification.ts, which the editor's highlights read too.
 */
import { classifyBoxes, DetectionVerdict, GroundTruthVerdict, type BoxClassification } from './box-classification'
import type { CocoEvaluation } from './coco-evaluation'
import { IOU_50_INDEX, IOU_THRESHOLDS } from './coco-parameters'
import type { EvaluationInput } from './evaluation-input'
import type { OperatingThresholds } from './precision-recall'

export interface ConfusionMatrix {
  /** Per category: the detections of that class scoring at least this are counted. */
  operatingThresholds: number[]
  iouThreshold: number
  /** counts[row][column]: rows 0..K−1 truth classes, K = background; columns 0..K−1 detected classes, K = missed. */
  counts: number[][]
  /** Image indices behind each cell, same shape as counts, each list ascending without repeats. */
  images: number[][][]
}

/** The cell [row, column] a judged detection counts in; null when it is not judged. */
export function detectionCell(input: EvaluationInput, classification: BoxClassification, detection: number): [number, number] | null {
  const column = input.detections.category[detection]!
  switch (classification.detectionVerdict[detection]) {
    case DetectionVerdict.TruePositive:
      return [column, column]
    case DetectionVerdict.WrongClass:
      return [input.groundTruth.category[classification.detectionGroundTruth[detection]!]!, column]
    case DetectionVerdict.Background:
      return [input.categoryCount, column]
    default:
      return null
  }
}

/** The "missed" cell of a ground-truth box no detection found or mistook; null otherwise. */
export function missedCell(input: EvaluationInput, classification: BoxClassification, groundTruth: number): [number, number] | null {
  return classification.groundTruthVerdict[groundTruth] === GroundTruthVerdict.Missed ? [input.groundTruth.category[groundTruth]!, input.categoryCount] : null
}

export function confusionMatrix(evaluation: CocoEvaluation, operatingThreshold: OperatingThresholds, classification = classifyBoxes(evaluation, operatingThreshold)): ConfusionMatrix {
  const { input } = evaluation
  const K = input.categoryCount
  const counts = Array.from({ length: K + 1 }, () => new Array<number>(K + 1).fill(0))
  const cellImages = Array.from({ length: K + 1 }, () => Array.from({ length: K + 1 }, () => new Set<number>()))
  const add = (cell: [number, number] | null, image: number) => {
    if (cell === null) return
    counts[cell[0]]![cell[1]]!++
    cellImages[cell[0]]![cell[1]]!.add(image)
  }
  for (let d = 0; d < input.detections.count; d++) add(detectionCell(input, classification, d), input.detections.image[d]!)
  for (let g = 0; g < input.groundTruth.count; g++) add(missedCell(input, classification, g), input.groundTruth.image[g]!)
  return {
    operatingThresholds: classification.operatingThresholds,
    iouThreshold: IOU_THRESHOLDS[IOU_50_INDEX]!,
    counts,
    images: cellImages.map((row) => row.map((cell) => [...cell].sort((a, b) => a - b))),
  }
}
