import type { EpochReport } from './train-heads'
import type { ProjectTrainingReport, TrainingPlan } from './project-training'

/** What the app asks the training worker to do: train one project's model. */
export interface TrainingJobRequest {
  projectFile: string
  out: string
  baseModelPath?: string
  baseConfigPath?: string
  epochs?: number
}

export type TrainingHostMessage = { type: 'cancel' }

export type TrainingWorkerMessage =
  | { type: 'plan'; plan: TrainingPlan }
  | { type: 'step'; done: number; total: number }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'finished'; report: ProjectTrainingReport }
  | { type: 'cancelled' }
  | { type: 'failed'; code?: string; message: string }
