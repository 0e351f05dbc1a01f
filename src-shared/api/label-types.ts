/**
 * Labels: the project's truth, what a person sees and edits in the editor and what gets
 * exported. Detections are what a run's model produced (immutable); a detection becomes a
 * label of an untouched image when it scores at least the label threshold, and is otherwise a
 * suggestion the viewer can show dimmed and a person can accept.
 */
import type { Box } from '../geometry/box'
import type { DetectionBox, ImageStatus } from './types'

export type LabelOrigin = 'detection' | 'manual' | 'import'

export interface Label {
  /** Stable while the label exists; undo and redo restore the same id. */
  id: number
  classId: number
  /** Pixels of the displayed (EXIF-oriented) image. */
  box: Box
  origin: LabelOrigin
  /** The detection it came from (origin `detection`); null otherwise, or once that run is deleted. */
  detectionId: number | null
  /** That detection's score; null for manual and imported labels. */
  score: number | null
  /** For imported labels: the file they came from. */
  source: string | null
}

/** The most labels of one image an answer carries; the rest are counted in `labelsLeftOut`. */
export const MAX_LABELS_READ = 10_000

export interface ImageLabels {
  imageId: number
  status: ImageStatus
  /**
   * A person edited, reviewed or imported this image's labels, so runs and label-threshold
   * changes leave them alone.
   */
  touched: boolean
  /** In creation order (by id): a stable order for the object list; at most MAX_LABELS_READ of them. */
  labels: Label[]
  /**
   * Labels after the first MAX_LABELS_READ, left out of `labels` so that the answer stays
   * small and quick (an import can put a million boxes on one image); almost always 0.
   */
  labelsLeftOut: number
  /** The run whose detections are offered as suggestions (the image's latest); null when none. */
  runId: number | null
  /** That run's detections that are not labels, by descending score; the viewer filters them by its own threshold. */
  suggestions: DetectionBox[]
}

/** One change of an edit. `detectionId` on a create accepts that suggestion: the label keeps its origin and score. */
export type LabelChange =
  | { op: 'create'; classId: number; box: Box; detectionId?: number | undefined }
  | { op: 'update'; labelId: number; classId: number; box: Box }
  | { op: 'delete'; labelId: number }

/** Every editor command that changes labels; one user gesture = one edit = one undo step. */
export const EDIT_COMMANDS = [
  'draw',
  'move',
  'resize',
  'nudge',
  'relabel',
  'delete',
  'duplicate',
  'paste',
  'copy-previous',
  'accept-suggestion',
] as const
export type EditCommand = (typeof EDIT_COMMANDS)[number]

/** What undo and redo would do next in the asking window; null when there is nothing. */
export interface EditHistoryState {
  undo: { command: string; imageId: number } | null
  redo: { command: string; imageId: number } | null
}

/** The result of an edit, an undo or a redo. */
export interface EditOutcome {
  /** The image the step changed: undoing a change to another image goes to that image. */
  imageId: number
  command: string
  /** For `labels.edit`: the ids of the labels its create changes made, in order; empty for undo/redo. */
  createdLabelIds: number[]
  /** The image's labels and suggestions after the step. */
  labels: ImageLabels
  history: EditHistoryState
}

/**
 * The one shape of per-class thresholds everywhere (model configs, the database, metrics, the
 * API): a score for every class, its own where `perClass` has one, else `score`. Only the key
 * of `perClass` differs: class names in files people write, class ids inside the product.
 */
export interface PerClassThresholds<PerClass> {
  score: number
  perClass: PerClass
}

/** By class name: model configs and what the CLI prints as JSON. */
export type NamedClassThresholds = PerClassThresholds<Record<string, number>>

/** The project's label thresholds, by class id. */
export interface LabelThresholds extends PerClassThresholds<Record<number, number>> {
  /** What the project would use without settings of its own: the model config's calibrated operating point. */
  modelDefault: PerClassThresholds<Record<number, number>>
}

/** What changing the label thresholds did to untouched images. */
export interface LabelThresholdsOutcome {
  thresholds: LabelThresholds
  imagesChanged: number
  labelsBefore: number
  labelsAfter: number
}

export interface ClassMergeOutcome {
  /** Labels moved from the merged class to the class it was merged into. */
  labelsMoved: number
}

/** Where "next unreviewed" leads: the position in the filtered grid order and the image. */
export interface ImagePosition {
  index: number
  imageId: number
}
