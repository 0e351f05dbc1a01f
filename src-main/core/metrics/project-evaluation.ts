/**
 * A run scored against a project's reviewed labels: the COCO summary, per-class AP with the
 * operating point at the label threshold and threshold suggestions, and the confusion matrix,
 * as one plain object (what `project eval --json` prints). Pure: the rows come from
 * core/db/evaluation-query.ts.
 */
import type { NamedClassThresholds } from '../../../src-shared/api/label-types'
import type { ClassThresholds } from '../db/label-thresholds-repository'
import { type BoxColumns, boxFromColumns, toXywh } from '../../../src-shared/geometry/box'
import { classifyBoxes, type BoxClassification } from './box-classification'
import { evaluateCoco, type CocoEvaluation } from './coco-evaluation'
import type { CocoSummary } from './coco-statistics'
import { confusionMatrix } from './confusion-matrix'
import { EvaluationInputBuilder } from './evaluation-input'
import { operatingPoints, type OperatingPoint } from './precision-recall'
import { suggestThresholds, type ThresholdPoint } from './threshold-suggestions'

interface BoxRow extends BoxColumns {
  imageId: number
  classId: number
}

export interface ProjectEvaluationSource {
  /** Project classes; their order (ascending id) is the category order. */
  classes: readonly { id: number; name: string }[]
  imageIds: readonly number[]
  labels: readonly BoxRow[]
  detections: readonly (BoxRow & { score: number })[]
  /** Precision, recall and the confusion matrix are read at these scores. */
  /** By class id: a class without its own value uses `score`. */
  labelThreshold: ClassThresholds
  /** The precision the "forPrecision" suggestion aims at. */
  targetPrecision: number
}

export interface ClassEvaluation extends OperatingPoint {
  id: number
  name: string
  labelThreshold: number
  /** Null when the class has no label among the evaluated images. */
  AP: number | null
  AP50: number | null
  labels: number
  detections: number
  suggestedThresholds: { bestF1: ThresholdPoint | null; forPrecision: ThresholdPoint | null }
}

export interface ProjectEvaluation {
  images: number
  labelThreshold: NamedClassThresholds
  targetPrecision: number
  summary: CocoSummary
  /** At the label threshold, IoU 0.5, all classes. */
  operatingPoint: OperatingPoint
  perClass: ClassEvaluation[]
  confusion: {
    iouThreshold: number
    /** Row names: the classes, then "background" (detections that overlap no label). */
    rows: string[]
    /** Column names: the classes, then "missed" (labels no detection found). */
    columns: string[]
    counts: number[][]
    /** Image ids behind each cell. */
    imageIds: number[][][]
  }
}

/** The evaluation with what it was read from: the matching and the boxes judged at the label thresholds. */
export interface ScoredProjectRun<Class extends { id: number; name: string } = { id: number; name: string }> {
  result: ProjectEvaluation
  /** Category order: class k of the evaluation is classes[k]. */
  classes: Class[]
  /** Label threshold per category. */
  thresholds: number[]
  evaluation: CocoEvaluation
  classification: BoxClassification
}

export function evaluateProjectRun(source: ProjectEvaluationSource): ProjectEvaluation {
  return scoreProjectRun(source).result
}

export function scoreProjectRun<Class extends { id: number; name: string }>(source: ProjectEvaluationSource & { classes: readonly Class[] }): ScoredProjectRun<Class> {
  const classes = [...source.classes].sort((a, b) => a.id - b.id)
  const categoryOfClass = new Map(classes.map((entry, index) => [entry.id, index]))
  const imageIndex = new Map(source.imageIds.map((id, index) => [id, index]))
  const builder = new EvaluationInputBuilder(source.imageIds.length, classes.length)
  const place = (row: BoxRow) => {
    const image = imageIndex.get(row.imageId)
    const category = categoryOfClass.get(row.classId)
    if (image === undefined || category === undefined) throw new Error(`a box of image ${row.imageId}, class ${row.classId} is outside the evaluated images or classes`)
    return { image, category, box: toXywh(boxFromColumns(row)) }
  }
  for (const row of source.labels) {
    const { image, category, box } = place(row)
    builder.addGroundTruth(image, category, box)
  }
  for (const row of source.detections) {
    const { image, category, box } = place(row)
    builder.addDetection(image, category, box, row.score)
  }
  const evaluation = evaluateCoco(builder.build())
  const thresholds = classes.map((entry) => source.labelThreshold.perClass.get(entry.id) ?? source.labelThreshold.score)
  const points = operatingPoints(evaluation, thresholds)
  const suggestions = suggestThresholds(evaluation, source.targetPrecision)
  const classification = classifyBoxes(evaluation, thresholds)
  const matrix = confusionMatrix(evaluation, thresholds, classification)
  const names = classes.map((entry) => entry.name)
  const result: ProjectEvaluation = {
    images: source.imageIds.length,
    labelThreshold: {
      score: source.labelThreshold.score,
      perClass: Object.fromEntries(classes.filter((entry) => source.labelThreshold.perClass.has(entry.id)).map((entry) => [entry.name, source.labelThreshold.perClass.get(entry.id)!])),
    },
    targetPrecision: source.targetPrecision,
    summary: evaluation.summary,
    operatingPoint: points.overall,
    perClass: classes.map((entry, k) => ({
      id: entry.id,
      name: entry.name,
      labelThreshold: thresholds[k]!,
      AP: evaluation.perCategory[k]!.ap,
      AP50: evaluation.perCategory[k]!.ap50,
      labels: evaluation.perCategory[k]!.groundTruthCount,
      detections: evaluation.perCategory[k]!.detectionCount,
      ...points.perCategory[k]!,
      suggestedThresholds: { bestF1: suggestions[k]!.bestF1, forPrecision: suggestions[k]!.forPrecision },
    })),
    confusion: {
      iouThreshold: matrix.iouThreshold,
      rows: [...names, 'background'],
      columns: [...names, 'missed'],
      counts: matrix.counts,
      imageIds: matrix.images.map((row) => row.map((cell) => cell.map((index) => source.imageIds[index]!))),
    },
  }
  return { result, classes, thresholds, evaluation, classification }
}
