import { describe, expect, it } from 'vitest'
import type { LevelFeatures } from '../../../src-main/core/training/head-layer'
import type { HeadParameters } from '../../../src-main/core/training/head-parameters'
import { HeadTrainer, type HeadShape } from '../../../src-main/core/training/head-trainer'
import { anchorsFor, type TrainingExample } from '../../../src-main/core/training/training-example'
import { seededRandom } from '../../helpers/seeded-random'

const shape: HeadShape = { anchorsPerCell: 9, classCount: 3, classInChannels: 4, boxInChannels: 4 }
const anchorConfig = {
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

function example(seed: number): TrainingExample {
  const random = seededRandom(seed)
  const sizes: Array<[number, number]> = [[8, 8], [4, 4], [2, 2]]
  const classFeatures = features(random, sizes)
  const frame = { originalWidth: 64, originalHeight: 64, resizedWidth: 64, resizedHeight: 64, paddedWidth: 64, paddedHeight: 64 }
  return {
    classFeatures,
    boxFeatures: features(random, sizes),
    anchors: anchorsFor(frame, classFeatures, anchorConfig),
    targets: { boxes: new Float32Array([8, 8, 28, 30, 30, 34, 60, 62]), classes: new Int32Array([0, 2]) },
    frame,
  }
}

function initialParameters(random: () => number): HeadParameters {
  const small = (length: number) => Float32Array.from({ length }, () => (random() - 0.5) * 0.02)
  return {
    classWeight: small(27 * 4 * 9),
    classBias: new Float32Array(27).fill(-4.6),
    boxWeight: small(36 * 4 * 9),
    boxBias: new Float32Array(36),
  }
}

describe('head trainer', () => {
  it('lowers both losses on a fixed batch', () => {
    const batch = [example(1), example(2)]
    const trainer = new HeadTrainer(shape, initialParameters(seededRandom(3)), new Uint8Array([1, 1, 1]))
    const first = trainer.step(batch, 0.05)
    let last = first
    for (let i = 0; i < 60; i++) last = trainer.step(batch, 0.05)
    expect(last.classification).toBeLessThan(first.classification * 0.5)
    expect(last.boxRegression).toBeLessThan(first.boxRegression * 0.8)
  })

  it('leaves the channels of classes the project does not label exactly as they were', () => {
    const initial = initialParameters(seededRandom(4))
    const trainer = new HeadTrainer(shape, initial, new Uint8Array([1, 0, 1]))
    for (let i = 0; i < 5; i++) trainer.step([example(5)], 0.01)
    const kernel = 4 * 9
    for (let a = 0; a < 9; a++) {
      const frozen = a * 3 + 1
      const trained = a * 3 + 2
      expect(trainer.parameters.classBias[frozen]).toBe(initial.classBias[frozen])
      expect(Array.from(trainer.parameters.classWeight.subarray(frozen * kernel, (frozen + 1) * kernel))).toEqual(
        Array.from(initial.classWeight.subarray(frozen * kernel, (frozen + 1) * kernel)),
      )
      expect(trainer.parameters.classBias[trained]).not.toBe(initial.classBias[trained])
    }
  })

  it('continues exactly from its parameters and momentum (resume)', () => {
    const batches = [[example(6)], [example(7)], [example(8)]]
    const straight = new HeadTrainer(shape, initialParameters(seededRandom(9)), new Uint8Array([1, 1, 1]))
    for (const batch of batches) straight.step(batch, 0.01)
    const first = new HeadTrainer(shape, initialParameters(seededRandom(9)), new Uint8Array([1, 1, 1]))
    first.step(batches[0]!, 0.01)
    const resumed = new HeadTrainer(shape, first.parameters, new Uint8Array([1, 1, 1]), undefined, first.velocity)
    resumed.step(batches[1]!, 0.01)
    resumed.step(batches[2]!, 0.01)
    expect(Array.from(resumed.parameters.classWeight)).toEqual(Array.from(straight.parameters.classWeight))
    expect(Array.from(resumed.parameters.boxBias)).toEqual(Array.from(straight.parameters.boxBias))
  })
})
