/**
 * The images behind a confusion cell, a range of true or false positives, or the labels missed
 * at a score cut, read off the same scored run as the report, so that the boxes listed add up
 * to the figure a person clicked.
 */
import type { EvaluationImages, EvaluationSelection } from '../../../src-shared/api/evaluation-types'
import type { SqliteDatabase } from '../db/connection'
import { readImagePaths } from '../db/evaluation-query'
import { AppError } from '../errors'
import { compareCodePoints } from '../images/list-image-files'
import { DetectionOutcome } from '../metrics/coco-matching'
import { IOU_50_INDEX } from '../metrics/coco-parameters'
import { detectionCell, missedCell } from '../metrics/confusion-matrix'
import type { ScoredProjectRun } from '../metrics/project-evaluation'

/** Boxes of the selection per image index of the evaluation. */
export function selectionBoxes(scored: ScoredProjectRun, selection: EvaluationSelection): Map<number, number> {
  const { evaluation, classification } = scored
  const { input } = evaluation
  const boxes = new Map<number, number>()
  const add = (image: number) => boxes.set(image, (boxes.get(image) ?? 0) + 1)
  if (selection.kind === 'cell') {
    const K = input.categoryCount
    if (selection.row > K || selection.column > K) {
      throw new AppError('invalid-argument', `The confusion matrix has rows and columns 0 to ${K}; there is no cell (${selection.row}, ${selection.column}).`)
    }
    const inCell = (cell: [number, number] | null) => cell !== null && cell[0] === selection.row && cell[1] === selection.column
    for (let d = 0; d < input.detections.count; d++) if (inCell(detectionCell(input, classification, d))) add(input.detections.image[d]!)
    for (let g = 0; g < input.groundTruth.count; g++) if (inCell(missedCell(input, classification, g))) add(input.groundTruth.image[g]!)
    return boxes
  }
  const category = selection.classId === null ? null : categoryOf(scored, selection.classId)
  if (selection.kind === 'detections') {
    const wanted = selection.outcome === 'truePositive' ? DetectionOutcome.TruePositive : DetectionOutcome.FalsePositive
    const { minScore, maxScore } = selection
    // A range ending at 1 includes 1, as the histogram's last bin does.
    const inRange = (score: number) => score >= minScore && (maxScore === undefined || score < maxScore || (maxScore === 1 && score === 1))
    evaluation.matches.categories.forEach((matches, k) => {
      if (category !== null && k !== category) return
      const outcomes = IOU_50_INDEX * matches.count // area range 0 ("all")
      for (let i = 0; i < matches.count; i++) if (matches.outcome[outcomes + i] === wanted && inRange(matches.score[i]!)) add(matches.image[i]!)
    })
    return boxes
  }
  const { groundTruth: truth, detections } = input
  for (let g = 0; g < truth.count; g++) {
    if (truth.crowd[g] || (category !== null && truth.category[g] !== category)) continue
    const finder = evaluation.matches.groundTruthMatchAt50[g]!
    if (finder < 0 || detections.score[finder]! < selection.minScore) add(truth.image[g]!)
  }
  return boxes
}

function categoryOf(scored: ScoredProjectRun, classId: number): number {
  const category = scored.classes.findIndex((entry) => entry.id === classId)
  if (category < 0) throw new AppError('not-found', `This project has no class with id ${classId} to evaluate (a merged class counts as the class it went into).`)
  return category
}

/** The images with their relative paths, most boxes first, then path order. */
export function listSelectionImages(db: SqliteDatabase, imageIds: readonly number[], boxes: ReadonlyMap<number, number>): EvaluationImages {
  const ids = [...boxes.keys()].map((index) => imageIds[index]!)
  const paths = readImagePaths(db, ids)
  const images = [...boxes].map(([index, count]) => {
    const imageId = imageIds[index]!
    return { imageId, relativePath: paths.get(imageId)!, boxes: count }
  })
  images.sort((a, b) => b.boxes - a.boxes || compareCodePoints(a.relativePath, b.relativePath))
  return { images, boxes: images.reduce((sum, image) => sum + image.boxes, 0) }
}
