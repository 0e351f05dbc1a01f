/**
 * A tiny head to train in unit tests: 3 classes, 9 anchors a cell, 4-channel features on three
 * levels (8×8, 4×4, 2×2) of a 64×64 frame, and two target boxes; everything seeded.
 */
import type { LevelFeatures } from '../../../src-main/core/training/head-layer'
import type { HeadParameters } from '../../../src-main/core/training/head-parameters'
import type { HeadShape } from '../../../src-main/core/training/head-trainer'
import { anchorsFor, type TrainingExample } from '../../../src-main/core/training/training-example'
import { seededRandom } from '../../helpers/seeded-random'

export const tinyHeadShape: HeadShape = { anchorsPerCell: 9, classCount: 3, classInChannels: 4, boxInChannels: 4 }

export const tinyAnchorConfig = {
  sizes: [[16, 20, 25], [32, 40, 50], [64, 80, 101]],
  aspectRatios: [0.5, 1, 2],
  order: 'ratio-major' as const,
  rounding: 'half-even' as const,
  offset: 0,
  plusOne: false,
  strides: 'derived' as const,
}

function features(random: () => number, sizes: Array<[number, number]>): LevelFeatures[] {
  return sizes.map(([height, width]) => ({
    channels: 4,
    height,
    width,
    data: Float32Array.from({ length: 4 * height * width }, () => random()),
  }))
}

/** One training example whose features come from `seed`. */
export function tinyExample(seed: number): TrainingExample {
  const random = seededRandom(seed)
  const sizes: Array<[number, number]> = [[8, 8], [4, 4], [2, 2]]
  const classFeatures = features(random, sizes)
  const frame = { originalWidth: 64, originalHeight: 64, resizedWidth: 64, resizedHeight: 64, paddedWidth: 64, paddedHeight: 64 }
  return {
    classFeatures,
    boxFeatures: features(random, sizes),
    anchors: anchorsFor(frame, classFeatures, tinyAnchorConfig),
    targets: { boxes: new Float32Array([8, 8, 28, 30, 30, 34, 60, 62]), classes: new Int32Array([0, 2]) },
    frame,
  }
}

/** Small random weights and the paper's prior bias on the class outputs. */
export function tinyInitialParameters(random: () => number): HeadParameters {
  const small = (length: number) => Float32Array.from({ length }, () => (random() - 0.5) * 0.02)
  return {
    classWeight: small(27 * 4 * 9),
    classBias: new Float32Array(27).fill(-4.6),
    boxWeight: small(36 * 4 * 9),
    boxBias: new Float32Array(36),
  }
}
