import { describe, expect, it } from 'vitest'
import { HeadTrainer } from '../../../src-main/core/training/head-trainer'
import { seededRandom } from '../../helpers/seeded-random'
import { tinyExample as example, tinyHeadShape as shape, tinyInitialParameters as initialParameters } from './tiny-head-fixture'

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
