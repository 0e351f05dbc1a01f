/**
 * Every box of an evaluation judged at IoU 0.5 and a score threshold per class: what the
 * confusion matrix counts and what the editor highlights, from one function so that both agree
 * box for box.
 * - A detection at or above its class's threshold is a true positive when the COCO matching
 *   gave it a box of its class; otherwise, image by image and best score first, it takes the
 *   still-unfound box of another class it overlaps most (IoU ≥ 0.5): a wrong class; else it is
 *   background.
 * - A box is found (by a passing detection of its class), taken by a wrong-class detection,
 *   or missed.
 * Crowd regions and the detections they absorb are left out, as COCO ignores them; so are
 * detections below their threshold or beyond the 100 an image and class COCO evaluates.
 */
import { boxIou, fromXywh, type Box } from '../../../src-shared/geometry/box'
import { DetectionOutcome } from './coco-matching'
import type { CocoEvaluation } from './coco-evaluation'
import { IOU_50_INDEX, IOU_THRESHOLDS } from './coco-parameters'
import { thresholdOf, type OperatingThresholds } from './precision-recall'

export const enum DetectionVerdict {
  NotJudged = -1,
  TruePositive = 0,
  WrongClass = 1,
  Background = 2,
}

export const enum GroundTruthVerdict {
  /** A crowd region. */
  NotJudged = -1,
  Found = 0,
  TakenByWrongClass = 1,
  Missed = 2,
}

export interface BoxClassification {
  /** Per category: detections of that class scoring at least this are judged. */
  operatingThresholds: number[]
  /** Per input detection. */
  detectionVerdict: Int8Array
  /** Per input detection: the ground truth (input index) it found or mistook, else −1. */
  detectionGroundTruth: Int32Array
  /** Per input ground-truth box. */
  groundTruthVerdict: Int8Array
  /** Per input ground-truth box: the detection (input index) that found or mistook it, else −1. */
  groundTruthDetection: Int32Array
}

interface Candidate {
  detection: number
  category: number
  score: number
  image: number
}

export function classifyBoxes(evaluation: CocoEvaluation, operatingThreshold: OperatingThresholds): BoxClassification {
  const { input, matches } = evaluation
  const { groundTruth: truth, detections } = input
  const operatingThresholds = Array.from({ length: input.categoryCount }, (_, k) => thresholdOf(operatingThreshold, k))
  const detectionVerdict = new Int8Array(detections.count).fill(DetectionVerdict.NotJudged)
  const detectionGroundTruth = new Int32Array(detections.count).fill(-1)
  const groundTruthVerdict = new Int8Array(truth.count).fill(GroundTruthVerdict.NotJudged)
  const groundTruthDetection = new Int32Array(truth.count).fill(-1)

  const falsePositives: Candidate[] = []
  matches.categories.forEach((category, k) => {
    const outcomes = IOU_50_INDEX * category.count // area range 0 ("all")
    for (let i = 0; i < category.count; i++) {
      if (category.score[i]! < operatingThresholds[k]!) continue
      const outcome = category.outcome[outcomes + i]
      const detection = category.detection[i]!
      if (outcome === DetectionOutcome.TruePositive) {
        detectionVerdict[detection] = DetectionVerdict.TruePositive
        detectionGroundTruth[detection] = category.matchedAt50[i]!
      } else if (outcome === DetectionOutcome.FalsePositive) {
        falsePositives.push({ detection, category: k, score: category.score[i]!, image: category.image[i]! })
      }
    }
  })

  // Boxes not found by a detection of their class, per image (crowd regions left out).
  const unfound = new Map<number, number[]>()
  for (let g = 0; g < truth.count; g++) {
    if (truth.crowd[g]) continue
    const finder = matches.groundTruthMatchAt50[g]!
    if (finder >= 0 && detections.score[finder]! >= operatingThresholds[truth.category[g]!]!) {
      groundTruthVerdict[g] = GroundTruthVerdict.Found
      groundTruthDetection[g] = finder
      continue
    }
    groundTruthVerdict[g] = GroundTruthVerdict.Missed
    const image = truth.image[g]!
    const list = unfound.get(image)
    if (list) list.push(g)
    else unfound.set(image, [g])
  }

  falsePositives.sort((a, b) => a.image - b.image || b.score - a.score || a.detection - b.detection)
  for (const candidate of falsePositives) {
    let best = -1
    let bestIou = IOU_THRESHOLDS[IOU_50_INDEX]!
    const detectionBox = boxAt(detections.boxes, candidate.detection)
    for (const g of unfound.get(candidate.image) ?? []) {
      if (groundTruthVerdict[g] !== GroundTruthVerdict.Missed || truth.category[g] === candidate.category) continue
      const overlap = boxIou(detectionBox, boxAt(truth.boxes, g))
      if (overlap >= bestIou) {
        bestIou = overlap
        best = g
      }
    }
    if (best === -1) detectionVerdict[candidate.detection] = DetectionVerdict.Background
    else {
      detectionVerdict[candidate.detection] = DetectionVerdict.WrongClass
      detectionGroundTruth[candidate.detection] = best
      groundTruthVerdict[best] = GroundTruthVerdict.TakenByWrongClass
      groundTruthDetection[best] = candidate.detection
    }
  }
  return { operatingThresholds, detectionVerdict, detectionGroundTruth, groundTruthVerdict, groundTruthDetection }
}

function boxAt(boxes: Float64Array, index: number): Box {
  return fromXywh([boxes[index * 4]!, boxes[index * 4 + 1]!, boxes[index * 4 + 2]!, boxes[index * 4 + 3]!])
}
