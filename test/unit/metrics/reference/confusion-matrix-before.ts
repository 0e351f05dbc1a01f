/**
 * The confusion matrix as it was computed before the per-box classification was pulled out of
 * it (one loop over the false positives, counting as it goes), kept verbatim as the reference
 * the refactored matrix and the classification must reproduce.
 */
import { boxIou, fromXywh, type Box } from '../../../../src-shared/geometry/box'
import { DetectionOutcome } from '../../../../src-main/core/metrics/coco-matching'
import type { CocoEvaluation } from '../../../../src-main/core/metrics/coco-evaluation'
import { IOU_50_INDEX, IOU_THRESHOLDS } from '../../../../src-main/core/metrics/coco-parameters'
import { thresholdOf, type OperatingThresholds } from '../../../../src-main/core/metrics/precision-recall'

interface ReferenceMatrix {
  /** Per category: the detections of that class scoring at least this are counted. */
  operatingThresholds: number[]
  iouThreshold: number
  /** counts[row][column]: rows 0..K−1 truth classes, K = background; columns 0..K−1 detected classes, K = missed. */
  counts: number[][]
  /** Image indices behind each cell, same shape as counts, each list ascending without repeats. */
  images: number[][][]
}

interface Candidate {
  detection: number
  category: number
  score: number
  image: number
}

export function referenceConfusionMatrix(evaluation: CocoEvaluation, operatingThreshold: OperatingThresholds): ReferenceMatrix {
  const { input, matches } = evaluation
  const K = input.categoryCount
  const operatingThresholds = Array.from({ length: K }, (_, k) => thresholdOf(operatingThreshold, k))
  const counts = Array.from({ length: K + 1 }, () => new Array<number>(K + 1).fill(0))
  const cellImages = Array.from({ length: K + 1 }, () => Array.from({ length: K + 1 }, () => new Set<number>()))
  const add = (row: number, column: number, image: number) => {
    counts[row]![column]!++
    cellImages[row]![column]!.add(image)
  }

  const falsePositives: Candidate[] = []
  matches.categories.forEach((category, k) => {
    const outcomes = IOU_50_INDEX * category.count // area range 0 ("all")
    for (let i = 0; i < category.count; i++) {
      if (category.score[i]! < operatingThresholds[k]!) continue
      const outcome = category.outcome[outcomes + i]
      if (outcome === DetectionOutcome.TruePositive) add(k, k, category.image[i]!)
      else if (outcome === DetectionOutcome.FalsePositive) {
        falsePositives.push({ detection: category.detection[i]!, category: k, score: category.score[i]!, image: category.image[i]! })
      }
    }
  })

  // Boxes not found by a detection of their class, per image (crowd regions left out).
  const { groundTruth: truth, detections } = input
  const unfound = new Map<number, number[]>()
  for (let g = 0; g < truth.count; g++) {
    if (truth.crowd[g] || isFoundAbove(evaluation, g, operatingThresholds[truth.category[g]!]!)) continue
    const image = truth.image[g]!
    const list = unfound.get(image)
    if (list) list.push(g)
    else unfound.set(image, [g])
  }

  falsePositives.sort((a, b) => a.image - b.image || b.score - a.score || a.detection - b.detection)
  const taken = new Set<number>()
  for (const candidate of falsePositives) {
    let best = -1
    let bestIou = IOU_THRESHOLDS[IOU_50_INDEX]!
    const detectionBox = boxAt(detections.boxes, candidate.detection)
    for (const g of unfound.get(candidate.image) ?? []) {
      if (taken.has(g) || truth.category[g] === candidate.category) continue
      const overlap = boxIou(detectionBox, boxAt(truth.boxes, g))
      if (overlap >= bestIou) {
        bestIou = overlap
        best = g
      }
    }
    if (best === -1) add(K, candidate.category, candidate.image)
    else {
      taken.add(best)
      add(truth.category[best]!, candidate.category, candidate.image)
    }
  }
  for (const [image, boxes] of unfound) for (const g of boxes) if (!taken.has(g)) add(truth.category[g]!, K, image)

  return {
    operatingThresholds,
    iouThreshold: IOU_THRESHOLDS[IOU_50_INDEX]!,
    counts,
    images: cellImages.map((row) => row.map((cell) => [...cell].sort((a, b) => a - b))),
  }
}

/** Whether the box was matched at IoU 0.5 by a same-class detection scoring at least the threshold. */
function isFoundAbove(evaluation: CocoEvaluation, groundTruth: number, operatingThreshold: number): boolean {
  const detection = evaluation.matches.groundTruthMatchAt50[groundTruth]!
  return detection >= 0 && evaluation.input.detections.score[detection]! >= operatingThreshold
}

function boxAt(boxes: Float64Array, index: number): Box {
  return fromXywh([boxes[index * 4]!, boxes[index * 4 + 1]!, boxes[index * 4 + 2]!, boxes[index * 4 + 3]!])
}
