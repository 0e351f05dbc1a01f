/**
 * One optimisation step of the head fine-tune: RetinaNet's loss (detection-loss.ts) on a batch
 * of examples through the two trainable layers, back to their weights, then SGD with momentum
 * and weight decay as torchvision's detection reference trains RetinaNet. Classes the project
 * does not label stay exactly as the base model had them (no gradient, no decay).
 */
import { type HeadOutputs, imageLoss, RETINANET_LOSS } from './detection-loss'
import { headLayerBackward, headLayerForward, type LevelColumns, levelColumns } from './head-layer'
import { cloneParameters, type HeadParameters, zeroParametersLike } from './head-parameters'
import type { TrainingExample } from './training-example'

export interface HeadShape {
  anchorsPerCell: number
  classCount: number
  classInChannels: number
  boxInChannels: number
}

export interface OptimizerSettings {
  momentum: number
  weightDecay: number
  /** Gradients with a larger L2 norm are scaled down to it, so one odd batch cannot undo the base model. */
  maxGradientNorm: number
}

export const DEFAULT_OPTIMIZER: OptimizerSettings = { momentum: 0.9, weightDecay: 1e-4, maxGradientNorm: 10 }

export interface BatchLoss {
  classification: number
  boxRegression: number
  foregroundAnchors: number
}

export interface ExampleOutputs extends HeadOutputs, BatchLoss {}

export class HeadTrainer {
  readonly parameters: HeadParameters
  readonly velocity: HeadParameters

  constructor(
    readonly shape: HeadShape,
    initial: HeadParameters,
    /** Per class: 1 trained, 0 kept as the base model has it. */
    readonly trainedClasses: Uint8Array,
    readonly settings: OptimizerSettings = DEFAULT_OPTIMIZER,
    velocity?: HeadParameters,
  ) {
    this.parameters = cloneParameters(initial)
    this.velocity = velocity ? cloneParameters(velocity) : zeroParametersLike(initial)
  }

  /** Head outputs and loss of one example, without training (held-out evaluation). */
  evaluate(example: TrainingExample): ExampleOutputs {
    const { classColumns, boxColumns } = columnsOf(example)
    const outputs = this.forward(classColumns, boxColumns)
    return { ...outputs, ...this.loss(example, outputs, null, 1) }
  }

  /** One SGD step on a batch; returns the batch's mean loss before the step. */
  step(examples: readonly TrainingExample[], learningRate: number): BatchLoss {
    const gradient = zeroParametersLike(this.parameters)
    const scale = 1 / examples.length
    const total: BatchLoss = { classification: 0, boxRegression: 0, foregroundAnchors: 0 }
    for (const example of examples) {
      const { classColumns, boxColumns } = columnsOf(example)
      const outputs = this.forward(classColumns, boxColumns)
      const outputGradient: HeadOutputs = { logits: new Float32Array(outputs.logits.length), deltas: new Float32Array(outputs.deltas.length) }
      const loss = this.loss(example, outputs, outputGradient, scale)
      total.classification += loss.classification * scale
      total.boxRegression += loss.boxRegression * scale
      total.foregroundAnchors += loss.foregroundAnchors
      headLayerBackward(classColumns, outputGradient.logits, this.classLayer(), gradient.classWeight, gradient.classBias)
      headLayerBackward(boxColumns, outputGradient.deltas, this.boxLayer(), gradient.boxWeight, gradient.boxBias)
    }
    this.freezeUntrainedClasses(gradient)
    clipGradient(gradient, this.settings.maxGradientNorm)
    this.applySgd(gradient, learningRate)
    return total
  }

  private forward(classColumns: LevelColumns[], boxColumns: LevelColumns[]): HeadOutputs {
    return {
      logits: headLayerForward(classColumns, this.parameters.classWeight, this.parameters.classBias, this.classLayer()),
      deltas: headLayerForward(boxColumns, this.parameters.boxWeight, this.parameters.boxBias, this.boxLayer()),
    }
  }

  private loss(example: TrainingExample, outputs: HeadOutputs, gradient: HeadOutputs | null, scale: number): BatchLoss {
    return imageLoss(outputs, example.anchors, example.targets, this.shape.classCount, gradient, scale, {
      ...RETINANET_LOSS,
      trainedClasses: this.trainedClasses,
    })
  }

  private classLayer() {
    return { inChannels: this.shape.classInChannels, anchorsPerCell: this.shape.anchorsPerCell, valuesPerAnchor: this.shape.classCount }
  }

  private boxLayer() {
    return { inChannels: this.shape.boxInChannels, anchorsPerCell: this.shape.anchorsPerCell, valuesPerAnchor: 4 }
  }

  /** Channels of untrained classes: their gradient (and so their decay below) is zero. */
  private freezeUntrainedClasses(gradient: HeadParameters): void {
    const { classCount, anchorsPerCell, classInChannels } = this.shape
    const kernel = classInChannels * 9
    for (let k = 0; k < classCount; k++) {
      if (this.trainedClasses[k] !== 0) continue
      for (let a = 0; a < anchorsPerCell; a++) {
        const channel = a * classCount + k
        gradient.classWeight.fill(0, channel * kernel, (channel + 1) * kernel)
        gradient.classBias[channel] = 0
      }
    }
  }

  private applySgd(gradient: HeadParameters, learningRate: number): void {
    const { momentum, weightDecay } = this.settings
    const { classCount, classInChannels } = this.shape
    const kernel = classInChannels * 9
    const frozenChannel = (channel: number): boolean => this.trainedClasses[channel % classCount] === 0
    for (const key of ['classWeight', 'classBias', 'boxWeight', 'boxBias'] as const) {
      const values = this.parameters[key]
      const grads = gradient[key]
      const velocity = this.velocity[key]
      const isClass = key === 'classWeight' || key === 'classBias'
      const perChannel = key === 'classWeight' ? kernel : 1
      for (let i = 0; i < values.length; i++) {
        if (isClass && frozenChannel(Math.floor(i / perChannel))) continue
        // torch.optim.SGD: g += wd·w; v = μ·v + g; w −= lr·v
        const g = grads[i]! + weightDecay * values[i]!
        const v = momentum * velocity[i]! + g
        velocity[i] = v
        values[i] = values[i]! - learningRate * v
      }
    }
  }
}

function columnsOf(example: TrainingExample): { classColumns: LevelColumns[]; boxColumns: LevelColumns[] } {
  return { classColumns: levelColumns(example.classFeatures), boxColumns: levelColumns(example.boxFeatures) }
}

function clipGradient(gradient: HeadParameters, maxNorm: number): void {
  let squares = 0
  for (const values of Object.values(gradient) as Float32Array[]) for (const value of values) squares += value * value
  const norm = Math.sqrt(squares)
  if (norm <= maxNorm || norm === 0) return
  const factor = maxNorm / norm
  for (const values of Object.values(gradient) as Float32Array[]) for (let i = 0; i < values.length; i++) values[i]! *= factor
}
