/** What teaching a model from a project's reviewed labels did (`training.start`). */

export interface TrainingScore {
  /** null without held-out labels to measure on. */
  ap50: number | null
  ap: number | null
  /** The label threshold calibrated on the held-out images (best F1). */
  threshold: number
}

export interface TrainingSummary {
  /** The trained model, its config (use both with detection runs) and the training report. */
  model: string
  config: string
  report: string
  classes: string[]
  /** Project classes the base model did not know, added to the trained one. */
  newClasses: string[]
  trainImages: number
  heldOutImages: number
  labels: number
  /** The base model and the trained one, measured on the same held-out images. */
  heldOutBefore: TrainingScore
  heldOutAfter: TrainingScore
  bestEpoch: number
  epochs: number
}

/** A model this project trained, as the project remembers it (`training.models`). */
export interface TrainedModelInfo {
  id: number
  model: string
  config: string
  baseModel: string
  trainImages: number
  heldOutImages: number
  labels: number
  heldOutBefore: TrainingScore
  heldOutAfter: TrainingScore
  /** ISO time. */
  createdAt: string
  /** Whether the model file is still where it was written (a run needs it). */
  available: boolean
}
