import type { z } from 'zod'
import {
  gridListArgs,
  imageGetArgs,
  imagesListArgs,
  jobIdArgs,
  trainingStartArgs,
  noArgs,
  pickPathArgs,
  projectCreateArgs,
  projectOpenArgs,
  runIdArgs,
  runStartArgs,
} from './schemas'
import {
  classCreateArgs,
  classMergeArgs,
  classUpdateArgs,
  imagePositionArgs,
  imageReviewArgs,
  labelThresholdsSetArgs,
  labelsEditArgs,
  labelsHistoryArgs,
  labelsStepArgs,
  nextUnreviewedArgs,
} from './label-schemas'
import type {
  ClassMergeOutcome,
  EditHistoryState,
  EditOutcome,
  ImageLabels,
  ImagePosition,
  LabelThresholds,
  LabelThresholdsOutcome,
} from './label-types'
import { evaluationArgs, evaluationImagesArgs, imageEvaluationArgs } from './evaluation-schemas'
import type { EvaluationImages, EvaluationReport, ImageEvaluation } from './evaluation-types'
import type { JobInfo } from './job-types'
import type { TrainedModelInfo, TrainingSummary } from './training-types'
import { labelsExportArgs, labelsImportArgs, labelsPlanExportArgs } from './transfer-schemas'
import type { LabelExportPlan, LabelExportResult, LabelImportOutcome, LabelImportPreview } from './transfer-types'
import type {
  AppInfo,
  CreatedProject,
  GridImage,
  GridPage,
  ImageDetections,
  ImagePage,
  ImageSummary,
  ProjectClass,
  ProjectStats,
  ProjectSummary,
  RecentProject,
  RescanSummary,
  RunProgress,
  RunSummary,
} from './types'

/**
 * The API, declared once. Both transports (Electron IPC and HTTP) bind exactly these
 * methods; the renderer calls them through one `Api` object. To add a method: add its
 * schema in schemas.ts, an entry here, and a handler in src-main/api/handlers.
 */
export const apiMethods = {
  'app.info': { args: noArgs, result: {} as AppInfo },
  'project.create': { args: projectCreateArgs, result: {} as CreatedProject },
  'project.open': { args: projectOpenArgs, result: {} as ProjectSummary },
  'project.close': { args: noArgs, result: null },
  'project.current': { args: noArgs, result: {} as ProjectSummary | null },
  'project.recent': { args: noArgs, result: [] as RecentProject[] },
  'images.list': { args: imagesListArgs, result: {} as ImagePage },
  'images.get': { args: imageGetArgs, result: {} as ImageSummary },
  /** Rescans the image folder: adds new files, marks missing ones, notices changed ones. */
  'project.rescan': { args: noArgs, result: {} as RescanSummary },
  'project.stats': { args: noArgs, result: {} as ProjectStats },
  /** The grid: images with status and box count, filtered, in path order. */
  'images.grid': { args: gridListArgs, result: {} as GridPage },
  'classes.list': { args: noArgs, result: [] as ProjectClass[] },
  /** The raw detections of the image's latest run. */
  'detections.forImage': { args: imageGetArgs, result: {} as ImageDetections },

  /** An image's labels, with its latest run's other detections as suggestions. */
  'labels.forImage': { args: imageGetArgs, result: {} as ImageLabels },
  /** Applies one gesture's changes to an image's labels as one undo step; sends `labels.changed`. */
  'labels.edit': { args: labelsEditArgs, result: {} as EditOutcome },
  /**
   * Reverts the window's latest edit (`editorId`), whichever image it changed; null when there is
   * nothing to undo. A `conflict` error when another window changed that edit's labels since.
   */
  'labels.undo': { args: labelsStepArgs, result: {} as EditOutcome | null },
  'labels.redo': { args: labelsStepArgs, result: {} as EditOutcome | null },
  'labels.history': { args: labelsHistoryArgs, result: {} as EditHistoryState },
  /** Marks an image reviewed (or not); a reviewed image's labels are what exports and evaluation use. */
  'images.setReviewed': { args: imageReviewArgs, result: {} as GridImage },
  /** The first image after a grid position (same filter, path order) that is not reviewed; null when none. */
  'images.nextUnreviewed': { args: nextUnreviewedArgs, result: {} as ImagePosition | null },
  /** Where an image stands in the filtered grid order; null when the filter hides it. */
  'images.positionOf': { args: imagePositionArgs, result: {} as ImagePosition | null },
  'labelThresholds.get': { args: noArgs, result: {} as LabelThresholds },
  /** Sets the project's label thresholds and re-derives the labels of untouched images in one transaction. */
  'labelThresholds.set': { args: labelThresholdsSetArgs, result: {} as LabelThresholdsOutcome },
  'classes.create': { args: classCreateArgs, result: {} as ProjectClass },
  /** Renames and/or recolours a class; its id stays, so every box keeps it. */
  'classes.update': { args: classUpdateArgs, result: {} as ProjectClass },
  /** Moves every label of `classId` to `intoClassId` and removes `classId` from the class list. */
  'classes.merge': { args: classMergeArgs, result: {} as ClassMergeOutcome },
  /** Starts a detection run over the open project in the background; progress comes as events. */
  'runs.start': { args: runStartArgs, result: {} as RunSummary },
  'runs.resume': { args: runIdArgs, result: {} as RunSummary },
  /** Stops the run within one image; it can be resumed later. */
  'runs.cancel': { args: runIdArgs, result: null },
  /** Newest first. */
  'runs.list': { args: noArgs, result: [] as RunSummary[] },
  /** Progress of the run going on now, for a window that opens mid-run; null when none. */
  'runs.active': { args: noArgs, result: {} as RunProgress | null },
  /**
   * Exports the open project's labels to a new or empty folder; resolves when the export is
   * done or cancelled. It runs as a job (`job.*` events; `jobs.cancel` stops it). One at a time.
   */
  'labels.export': { args: labelsExportArgs, result: {} as LabelExportResult },
  /** How many images, labels and negatives an export with these options would write; writes nothing. */
  'labels.planExport': { args: labelsPlanExportArgs, result: {} as LabelExportPlan },
  /** Reads labels to import and says what importing them would do; writes nothing. */
  'labels.planImport': { args: labelsImportArgs, result: {} as LabelImportPreview },
  /**
   * Imports labels into the open project in one transaction, one undo step; sends `images.changed`.
   * Runs as a job: reading the files reports progress and can be cancelled (nothing is written then).
   */
  'labels.import': { args: labelsImportArgs, result: {} as LabelImportOutcome },
  /**
   * Scores a run (and optionally a second one, side by side) against the labels of the reviewed
   * images it finished, COCO-style as pycocotools computes it; an empty project scores 0 images.
   */
  'evaluation.evaluate': { args: evaluationArgs, result: {} as EvaluationReport },
  /** The images behind a confusion cell, a curve point or a histogram bar of the same evaluation. */
  'evaluation.images': { args: evaluationImagesArgs, result: {} as EvaluationImages },
  /** One image's detections of a run judged against its labels, and the labels they missed. */
  'evaluation.forImage': { args: imageEvaluationArgs, result: {} as ImageEvaluation },
  /**
   * Teaches a model from the open project's reviewed labels (the heads of its base model: the
   * model runs use by default unless one is named) in a worker thread, as a job (`job.*` events with epoch and
   * held-out AP; `jobs.cancel` stops it after the current batch, and starting it again with the
   * same `out` continues from the last finished epoch). Resolves when the model is written.
   */
  'training.start': { args: trainingStartArgs, result: {} as TrainingSummary },
  /** The models the open project trained, newest first, for a run to use (`runs.start` `modelPath`). */
  'training.models': { args: noArgs, result: [] as TrainedModelInfo[] },
  /** Scans, exports and imports going on now (as `job.*` events describe them), oldest first. */
  'jobs.active': { args: noArgs, result: [] as JobInfo[] },
  /**
   * Asks a job to stop; it then ends with `job.finished` as cancelled (an export or a new project's
   * scan leaves nothing behind). False when there is no such job or it cannot be cancelled.
   */
  'jobs.cancel': { args: jobIdArgs, result: {} as boolean },
  /** Native dialog; `unsupported` over HTTP. Resolves to null when the user cancels. */
  'dialog.pickPath': { args: pickPathArgs, result: {} as string | null },
} as const

export type ApiMethod = keyof typeof apiMethods
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiMethods)[M]['args']>
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['args']>
export type ApiReturn<M extends ApiMethod> = (typeof apiMethods)[M]['result']

export const apiMethodNames = Object.keys(apiMethods) as ApiMethod[]

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiMethods, name)
}
