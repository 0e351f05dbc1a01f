/**
 * How well a set of head parameters detects on the held-out images: the loss, COCO AP50 and AP
 * (the app's pycocotools-equal metrics) and the label threshold of best F1, found on these same
 * images as tools/model/calibrate.ts finds a bundled model's.
 */
import { decodeOutputs } from '../detect/decode'
import type { ModelConfig } from '../detect/types'
import { evaluateCoco } from '../metrics/coco-evaluation'
import { evaluationInputFromImages } from '../metrics/evaluation-input'
import { operatingPoints, type OperatingPoint } from '../metrics/precision-recall'
import type { EvaluatedImage } from '../metrics/types'
import type { HeadTrainer } from './head-trainer'
import type { LabelledImage, TrainingExample } from './training-example'

export interface HeldOutScore {
  images: number
  loss: number
  /** null without held-out ground truth. */
  ap50: number | null
  ap: number | null
  /** Per trained class (null where it has no held-out ground truth). */
  perClassAp50: Array<number | null>
  /** Label threshold of best F1 (0.5 without held-out ground truth). */
  threshold: number
  f1: number | null
}

const THRESHOLD_GRID = Array.from({ length: 91 }, (_, i) => Math.round((0.05 + i * 0.01) * 100) / 100)

/** The config the trainer's outputs decode with: concatenated logits, the trained class count. */
export function decodingConfig(config: ModelConfig, classCount: number): ModelConfig {
  return { ...config, numClasses: classCount, output: { layout: 'concat', scores: 'logits', classOutput: 'logits', boxOutput: 'deltas' } }
}

export function scoreHeldOut(
  trainer: HeadTrainer,
  examples: ReadonlyArray<{ image: LabelledImage; example: TrainingExample }>,
  config: ModelConfig,
): HeldOutScore {
  const classCount = trainer.shape.classCount
  const decoding = decodingConfig(config, classCount)
  const images: EvaluatedImage[] = []
  let loss = 0
  for (const { image, example } of examples) {
    const result = trainer.evaluate(example)
    loss += result.classification + result.boxRegression
    const anchors = result.deltas.length / 4
    const [detections] = decodeOutputs(
      {
        logits: { data: result.logits, dims: [1, anchors, classCount] },
        deltas: { data: result.deltas, dims: [1, anchors, 4] },
      },
      decoding,
      [example.frame],
    )
    const groundTruth = Array.from(image.classes, (classIndex, g) => ({
      classIndex,
      box: [image.boxes[g * 4]!, image.boxes[g * 4 + 1]!, image.boxes[g * 4 + 2]!, image.boxes[g * 4 + 3]!] as [number, number, number, number],
    }))
    images.push({ groundTruth, detections: detections ?? [] })
  }
  const hasTruth = images.some((image) => image.groundTruth.length > 0)
  if (!hasTruth) {
    return { images: examples.length, loss: loss / Math.max(1, examples.length), ap50: null, ap: null, perClassAp50: [], threshold: 0.5, f1: null }
  }
  const evaluation = evaluateCoco(evaluationInputFromImages(images, classCount))
  const best = THRESHOLD_GRID.map((score) => ({ score, f1: f1(operatingPoints(evaluation, score).overall) })).reduce((a, b) => (b.f1 > a.f1 ? b : a))
  return {
    images: examples.length,
    loss: loss / examples.length,
    ap50: Math.max(0, evaluation.summary.AP50),
    ap: Math.max(0, evaluation.summary.AP),
    perClassAp50: evaluation.perCategory.map((category) => category.ap50),
    threshold: best.score,
    f1: best.f1,
  }
}

function f1(point: OperatingPoint): number {
  return point.precision + point.recall > 0 ? (2 * point.precision * point.recall) / (point.precision + point.recall) : 0
}
