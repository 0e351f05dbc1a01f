/**
 * "Improve the model" for one project: its reviewed labels (training-set.ts) fine-tune the base
 * model's heads (train-heads.ts), the result is written as a model and config any detection
 * reads (trained-model-files.ts), and a report beside them records what was trained on what:
 * the base model and its hash, the images and a hash of their labels, the settings, held-out
 * metrics before and after. A checkpoint after every epoch lets an interrupted run continue.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { insertTrainedModel, type StoredHeldOutScore } from '../db/trained-models-repository'
import { defaultConfigPath, loadModelConfig } from '../detect/config'
import { BUNDLED_MODEL_PATH } from '../detect/detector'
import { AppError } from '../errors'
import type { OpenProject } from '../projects/open-project'
import type { HeldOutScore } from './held-out'
import { loadCheckpoint, saveCheckpoint } from './training-checkpoint'
import { collectTrainingSet, DEFAULT_HELD_OUT_FRACTION, type TrainingSet } from './training-set'
import { DEFAULT_TRAIN_SETTINGS, type EpochReport, trainHeads, type TrainSettings } from './train-heads'
import { writeTrainedModel } from './trained-model-files'

/** Fewer training images than this cannot teach anything a labeler would notice. */
export const MIN_TRAINING_IMAGES = 2

export interface ProjectTrainingOptions {
  /** Absolute path of the model to write (.onnx); its config goes beside it. */
  out: string
  baseModelPath?: string
  baseConfigPath?: string
  settings?: Partial<TrainSettings>
  heldOutFraction?: number
  threads?: number
  signal?: AbortSignal
  onPlan?(plan: TrainingPlan): void
  onEpoch?(report: EpochReport): void
  onStep?(done: number, total: number): void
}

export interface TrainingPlan {
  trainImages: number
  heldOutImages: number
  labels: number
  classes: string[]
  newClasses: string[]
  epochs: number
  resumedAfterEpoch: number | null
}

export interface ProjectTrainingReport {
  model: string
  config: string
  baseModel: { path: string; sha256: string }
  classes: string[]
  newClasses: string[]
  trainImages: number
  heldOutImages: number
  labels: number
  labelsSha256: string
  settings: TrainSettings
  heldOutBefore: HeldOutScore
  heldOutAfter: HeldOutScore
  bestEpoch: number
  history: EpochReport[]
  resumedAfterEpoch: number | null
}

function storedScore(score: HeldOutScore): StoredHeldOutScore {
  return { ap50: score.ap50, ap: score.ap, threshold: score.threshold }
}

export async function trainProjectModel(project: OpenProject, options: ProjectTrainingOptions): Promise<ProjectTrainingReport> {
  const out = resolve(options.out)
  if (extname(out).toLowerCase() !== '.onnx') throw new AppError('invalid-argument', `The trained model's file name must end in .onnx; got ${basename(out)}.`)
  const baseModelPath = resolve(options.baseModelPath ?? BUNDLED_MODEL_PATH)
  if (baseModelPath === out) throw new AppError('invalid-argument', { key: 'training.replacesBase' })
  const baseConfigPath = resolve(options.baseConfigPath ?? defaultConfigPath(baseModelPath))
  const baseConfig = await loadModelConfig(baseConfigPath)
  const baseModelBytes = new Uint8Array(await readFile(baseModelPath))
  const settings: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, ...options.settings }

  const set = collectTrainingSet(project.db, project.imageRoot, baseConfig, options.heldOutFraction ?? DEFAULT_HELD_OUT_FRACTION)
  refuseUnteachable(set)
  const baseSha256 = createHash('sha256').update(baseModelBytes).digest('hex')
  const labelsSha256 = hashLabels(set)
  const checkpointPath = `${out}.checkpoint.json`
  // The model's folder may be new (a "models" folder beside the project): made before the first checkpoint.
  await mkdir(dirname(out), { recursive: true })
  const key = createHash('sha256').update(JSON.stringify({ baseSha256, labelsSha256, settings, threads: options.threads ?? null })).digest('hex')
  const resume = await loadCheckpoint(checkpointPath, key)
  options.onPlan?.({
    trainImages: set.train.length,
    heldOutImages: set.heldOut.length,
    labels: set.labelCount,
    classes: set.classNames,
    newClasses: set.newClasses,
    epochs: settings.epochs,
    resumedAfterEpoch: resume?.epoch ?? null,
  })

  const result = await trainHeads({
    modelBytes: baseModelBytes,
    config: baseConfig,
    classNames: set.classNames,
    trainedClasses: set.trainedClasses,
    train: set.train,
    heldOut: set.heldOut,
    settings,
    threads: options.threads,
    signal: options.signal,
    resume: resume ?? undefined,
    onStep: options.onStep,
    async onEpoch(report, checkpoint) {
      await saveCheckpoint(checkpointPath, key, checkpoint)
      options.onEpoch?.(report)
    },
  })

  const files = await writeTrainedModel({
    baseModelBytes,
    baseConfigPath,
    baseConfig,
    classNames: set.classNames,
    parameters: result.parameters,
    threshold: result.heldOutAfter.threshold,
    out,
  })
  const report: ProjectTrainingReport = {
    ...files,
    baseModel: { path: baseModelPath, sha256: baseSha256 },
    classes: set.classNames,
    newClasses: set.newClasses,
    trainImages: set.train.length,
    heldOutImages: set.heldOut.length,
    labels: set.labelCount,
    labelsSha256,
    settings,
    heldOutBefore: result.heldOutBefore,
    heldOutAfter: result.heldOutAfter,
    bestEpoch: result.bestEpoch,
    history: result.history,
    resumedAfterEpoch: resume?.epoch ?? null,
  }
  await writeFile(trainingReportPath(out), `${JSON.stringify(report, null, 1)}\n`)
  await rm(checkpointPath, { force: true })
  // The project remembers what taught what; the run panel offers its trained models.
  insertTrainedModel(project.db, {
    modelPath: report.model,
    configPath: report.config,
    baseModelPath,
    baseSha256,
    imageCount: report.trainImages,
    heldOutCount: report.heldOutImages,
    labelCount: report.labels,
    labelsSha256,
    settings: { ...settings },
    heldOutBefore: storedScore(report.heldOutBefore),
    heldOutAfter: storedScore(report.heldOutAfter),
    createdAt: new Date().toISOString(),
  })
  return report
}

/** `<dir>/<name>.onnx` → `<dir>/<name>.training.json`. */
export function trainingReportPath(modelPath: string): string {
  return join(dirname(modelPath), `${basename(modelPath, extname(modelPath))}.training.json`)
}

function refuseUnteachable(set: TrainingSet): void {
  const images = set.train.length + set.heldOut.length
  if (images === 0) {
    throw new AppError('invalid-argument', { key: 'training.noReviewedImages' })
  }
  if (set.labelCount === 0) {
    throw new AppError('invalid-argument', { key: 'training.noLabels', values: { images } })
  }
  if (set.train.length < MIN_TRAINING_IMAGES) {
    throw new AppError('invalid-argument', { key: 'training.tooFewImages', values: { training: set.train.length, images, needed: MIN_TRAINING_IMAGES + 1 } })
  }
}

/** Which images, which boxes, which classes: what a trained model can be traced back to. */
function hashLabels(set: TrainingSet): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(set.classNames))
  for (const image of [...set.train, ...set.heldOut].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(image.name)
    hash.update(new Uint8Array(image.boxes.buffer, image.boxes.byteOffset, image.boxes.byteLength))
    hash.update(new Uint8Array(image.classes.buffer, image.classes.byteOffset, image.classes.byteLength))
  }
  return hash.digest('hex')
}
