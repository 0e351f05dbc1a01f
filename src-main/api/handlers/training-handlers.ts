import { existsSync } from 'node:fs'
import { basename } from 'node:path'
import type { TrainedModelInfo, TrainingScore, TrainingSummary } from '@shared/api/training-types'
import type { Said } from '@shared/messages/said'
import { listTrainedModels, type TrainedModelRecord } from '../../core/db/trained-models-repository'
import type { HeldOutScore } from '../../core/training/held-out'
import { type ProjectTrainingReport, type TrainingPlan, trainingReportPath } from '../../core/training/project-training'
import { trainInWorker } from '../../core/training/train-in-worker'
import { requireAbsolutePath } from '../../core/user-paths'
import type { ApiContext } from '../api-context'
import type { AreaHandlers } from './handler-types'

function toScore(score: HeldOutScore): TrainingScore {
  return { ap50: score.ap50, ap: score.ap, threshold: score.threshold }
}

export function toTrainingSummary(report: ProjectTrainingReport): TrainingSummary {
  return {
    model: report.model,
    config: report.config,
    report: trainingReportPath(report.model),
    classes: report.classes,
    newClasses: report.newClasses,
    trainImages: report.trainImages,
    heldOutImages: report.heldOutImages,
    labels: report.labels,
    heldOutBefore: toScore(report.heldOutBefore),
    heldOutAfter: toScore(report.heldOutAfter),
    bestEpoch: report.bestEpoch,
    epochs: report.settings.epochs,
  }
}

function toTrainedModelInfo(record: TrainedModelRecord): TrainedModelInfo {
  return {
    id: record.id,
    model: record.modelPath,
    config: record.configPath,
    baseModel: record.baseModelPath,
    trainImages: record.imageCount,
    heldOutImages: record.heldOutCount,
    labels: record.labelCount,
    heldOutBefore: record.heldOutBefore,
    heldOutAfter: record.heldOutAfter,
    createdAt: record.createdAt,
    available: existsSync(record.modelPath) && existsSync(record.configPath),
  }
}

const formatAp = (value: number | null) => (value === null ? 'no held-out labels' : value.toFixed(3))

/** "13 images to learn from, 3 held out; 12 epochs, continuing after epoch 4". */
function describePlan(plan: TrainingPlan): Said {
  const values = { train: plan.trainImages, heldOut: plan.heldOutImages, epochs: plan.epochs }
  const one = plan.epochs === 1
  if (plan.resumedAfterEpoch === null) return { key: one ? 'jobs.trainingPlanOneEpoch' : 'jobs.trainingPlan', values }
  return { key: one ? 'jobs.trainingPlanOneEpochResumed' : 'jobs.trainingPlanResumed', values: { ...values, after: plan.resumedAfterEpoch } }
}

/** "Improve the model": training runs as a job in a worker thread, one at a time in the process. */
export function createTrainingHandlers(context: ApiContext): AreaHandlers<'training.start' | 'training.models'> {
  return {
    'training.models': () => listTrainedModels(context.projects.requireOpen().db).map(toTrainedModelInfo),
    'training.start': async ({ out, baseModel, baseConfig, epochs }) => {
      requireAbsolutePath(out, 'The trained model file')
      if (baseModel !== undefined) requireAbsolutePath(baseModel, 'The base model')
      if (baseConfig !== undefined) requireAbsolutePath(baseConfig, 'The base model config')
      const project = context.projects.requireOpen()
      const title = { key: 'jobs.teaching', values: { model: basename(out), project: project.record.name } } as const
      const spec = { kind: 'training', title, projectFile: project.file, unit: 'images', cancellable: true, exclusive: 'training' } as const
      const report = await context.jobs.run(spec, (job) =>
        trainInWorker(
          {
            projectFile: project.file,
            out,
            // The model this app's runs use unless told otherwise (`serve --model`, the bundled one).
            baseModelPath: baseModel ?? context.runs.defaultModelPath,
            ...(baseConfig !== undefined ? { baseConfigPath: baseConfig } : {}),
            ...(epochs !== undefined ? { epochs } : {}),
          },
          {
            signal: job.signal,
            onPlan: (plan) => job.describe(describePlan(plan)),
            onStep: (done, total) => job.progress(done, total),
            onEpoch: (epoch) =>
              job.describe({ key: 'jobs.trainingEpoch', values: { epoch: epoch.epoch, epochs: epoch.epochs, ap: formatAp(epoch.heldOut.ap50) } }),
          },
        ),
      )
      return toTrainingSummary(report)
    },
  }
}
