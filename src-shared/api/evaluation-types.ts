/**
 * What the evaluation view receives: a run scored against the labels of the images people
 * reviewed, COCO-style exactly as pycocotools computes it, with everything read off the same
 * matching (operating points, threshold suggestions, confusion, score histograms), and the
 * boxes behind any cell, point or bar of it.
 */
import type { Box } from '../geometry/box'
import type { PerClassThresholds } from './label-types'

/** pycocotools' `stats[0..11]`, in its order. */
export const SUMMARY_KEYS = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'] as const
export type SummaryKey = (typeof SUMMARY_KEYS)[number]
/** −1 where pycocotools prints −1 (nothing to average: no ground truth in that size range). */
export type EvaluationSummary = Record<SummaryKey, number>

export interface EvaluatedRun {
  id: number
  /** The model file's name. */
  model: string
  startedAt: string
}

/** Counts and rates at IoU 0.5 among detections scoring at least the label threshold. */
export interface OperatingPointFigures {
  truePositives: number
  falsePositives: number
  falseNegatives: number
  /** 1 when no detection passes. */
  precision: number
  /** 1 when there is no label. */
  recall: number
}

export interface ThresholdPoint {
  /** Keep detections scoring at least this. */
  score: number
  precision: number
  recall: number
  f1: number
}

/** One of pycocotools' 101 recall thresholds at IoU 0.5 (area all, 100 detections). */
export interface PrecisionCurvePoint {
  recall: number
  /** Interpolated precision (non-increasing in recall); 0 past the highest recall reached. */
  precision: number
  /** The score of the detection where the ranking reaches this recall; 0 past the highest recall. */
  score: number
}

/**
 * True and false positives at IoU 0.5 by score, in `bins` equal bins over [0, 1] (the last
 * bin includes 1). Detections matched to a crowd region count in neither.
 */
export interface ScoreHistogram {
  truePositives: number[]
  falsePositives: number[]
}

export interface ClassEvaluation extends OperatingPointFigures {
  classId: number
  name: string
  color: string
  labelThreshold: number
  /** AP at IoU 0.50:0.95; null when the class has no label among the evaluated images. */
  AP: number | null
  AP50: number | null
  labels: number
  /** Detections evaluated (at most 100 an image). */
  detections: number
  suggestedThresholds: { bestF1: ThresholdPoint | null; forPrecision: ThresholdPoint | null }
  /** 101 points; empty when the class has no label. */
  curve: PrecisionCurvePoint[]
  histogram: ScoreHistogram
}

export interface ConfusionFigures {
  iouThreshold: number
  /** Rows: the label's class (index k = classIds[k]), then "background" (a detection on no label). */
  rows: string[]
  /** Columns: the detection's class, then "missed" (a label no detection found). */
  columns: string[]
  classIds: number[]
  /** counts[row][column]. */
  counts: number[][]
}

export interface SpanFigures {
  /** Null when nothing was counted. */
  median: number | null
  total: number
  /** How many spans were counted. */
  count: number
}

export interface CorrectionEffortFigures {
  /** What became of the run's detections on the evaluated images. */
  detections: { kept: number; moved: number; relabelled: number; movedAndRelabelled: number; deleted: number; unlabelled: number }
  labelsAddedByHand: number
  editedImages: number
  edits: number
  /** Per edited image, first to last edit (a lower bound of the time spent on it). */
  editSpanSeconds: SpanFigures
  /**
   * Per reviewed image, the time since the review before it (images reviewed one after the
   * other); gaps over 10 minutes are breaks and not counted.
   */
  reviewSeconds: SpanFigures
}

export interface RunEvaluation {
  run: EvaluatedRun
  /** Label thresholds the operating point and the confusion are read at (per class by class id). */
  labelThreshold: PerClassThresholds<Record<number, number>>
  summary: EvaluationSummary
  operatingPoint: OperatingPointFigures
  perClass: ClassEvaluation[]
  confusion: ConfusionFigures
  /** All classes together. */
  histogram: ScoreHistogram
  effort: CorrectionEffortFigures
}

export interface EvaluationFolder {
  /** Relative to the image root with '/' separators; '' for the whole project. */
  folder: string
  /** Reviewed images in it (sub-folders included). */
  reviewedImages: number
}

export interface EvaluationReport {
  /** Images scored: reviewed, inside the folder, finished by the run (and the compared run). */
  images: number
  /** Reviewed images in the folder left out because the run (or the compared run) has no result for them. */
  reviewedWithoutResult: number
  folder: string
  /** Folders holding reviewed images, for choosing a subset; '' first. */
  folders: EvaluationFolder[]
  targetPrecision: number
  histogramBins: number
  primary: RunEvaluation
  /** The compared run on the same images; null when none was asked for. */
  comparison: RunEvaluation | null
}

/** Which boxes of an evaluation a list of images is asked for. */
export type EvaluationSelection =
  /** The boxes behind a confusion cell (row and column indices of `ConfusionFigures`). */
  | { kind: 'cell'; row: number; column: number }
  /** Detections of a class (null: any) with this outcome at IoU 0.5 scoring in [minScore, maxScore). */
  | { kind: 'detections'; classId: number | null; outcome: 'truePositive' | 'falsePositive'; minScore: number; maxScore?: number | undefined }
  /** Labels of a class (null: any) that no detection scoring at least minScore found at IoU 0.5. */
  | { kind: 'missed'; classId: number | null; minScore: number }

export interface EvaluationImage {
  imageId: number
  relativePath: string
  /** Boxes of the selection in this image. */
  boxes: number
}

export interface EvaluationImages {
  /** Most boxes first, then path order. */
  images: EvaluationImage[]
  boxes: number
}

/** A detection of the run on one image as the evaluation judged it at the label threshold. */
export interface JudgedDetection {
  detectionId: number
  classId: number
  score: number
  box: Box
  /**
   * `truePositive`: found a label of its class; `wrongClass`: overlaps (IoU ≥ 0.5) a label of
   * another class none found; `background`: any other false positive (no label under it, or a
   * second detection of an already found one).
   */
  verdict: 'truePositive' | 'wrongClass' | 'background'
  /** The label it found (truePositive) or mistook (wrongClass). */
  labelId: number | null
}

export interface MissedLabel {
  labelId: number
  classId: number
  box: Box
}

/** One image under one run: what the highlights in the editor show. */
export interface ImageEvaluation {
  imageId: number
  runId: number
  /** Whether the image counts in evaluations (reviewed). Unreviewed images are judged against their current labels all the same. */
  reviewed: boolean
  /** The run has no finished result for the image: nothing is judged. */
  hasResult: boolean
  /** Detections at or above their class's label threshold, best score first. */
  detections: JudgedDetection[]
  /** Labels no passing detection found nor mistook (the confusion's "missed" column). */
  missed: MissedLabel[]
}
