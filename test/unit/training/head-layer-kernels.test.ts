/**
 * The head layer's two kernels seen from the trainer: WebAssembly SIMD by default, the
 * JavaScript im2col kernels where the engine has no WebAssembly, both in the anchor order the
 * loss reads, and a trainer on either one arriving at nearly the same parameters.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_HEAD_LAYER_KERNEL,
  headLayerBackward,
  headLayerForward,
  type HeadLayerShape,
  type LevelFeatures,
  levelColumns,
} from '../../../src-main/core/training/head-layer'
import type { HeadParameters } from '../../../src-main/core/training/head-parameters'
import { HeadTrainer } from '../../../src-main/core/training/head-trainer'
import { seededRandom } from '../../helpers/seeded-random'
import { tinyExample, tinyHeadShape, tinyInitialParameters } from './tiny-head-fixture'

const layer: HeadLayerShape = { inChannels: 5, anchorsPerCell: 3, valuesPerAnchor: 3 }
const sizes: Array<[number, number]> = [[6, 7], [3, 4], [2, 2], [1, 1]]

function features(random: () => number, channels: number): LevelFeatures[] {
  return sizes.map(([height, width]) => ({ channels, height, width, data: Float32Array.from({ length: channels * height * width }, () => random()) }))
}

const randomArray = (random: () => number, length: number, scale = 1) => Float32Array.from({ length }, () => (random() * 2 - 1) * scale)

describe('head layer kernels', () => {
  it('uses WebAssembly SIMD by default where the engine has it', () => {
    expect(DEFAULT_HEAD_LAYER_KERNEL).toBe('webassembly')
  })

  it('gives the same anchor-ordered outputs and gradients on either kernel, up to float32 rounding', () => {
    const random = seededRandom(21)
    const levels = features(random, layer.inChannels)
    const outChannels = layer.anchorsPerCell * layer.valuesPerAnchor
    const weight = randomArray(random, outChannels * layer.inChannels * 9)
    const bias = randomArray(random, outChannels)
    const run = (kernel: 'webassembly' | 'javascript') => {
      const columns = levelColumns(levels, kernel)
      const output = headLayerForward(columns, weight, bias, layer)
      const outputGradient = Float32Array.from(output, (value) => Math.tanh(value))
      const weightGradient = new Float32Array(weight.length)
      const biasGradient = new Float32Array(bias.length)
      headLayerBackward(columns, outputGradient, layer, weightGradient, biasGradient)
      return { output, weightGradient, biasGradient }
    }
    const wasm = run('webassembly')
    const javascript = run('javascript')
    expect(wasm.output.length).toBe(sizes.reduce((sum, [h, w]) => sum + h * w, 0) * outChannels)
    // Outputs are sums of 46 terms of size ≤ 1: float32 rounding stays far below 1e-5.
    for (let i = 0; i < wasm.output.length; i++) expect(Math.abs(wasm.output[i]! - javascript.output[i]!)).toBeLessThan(1e-5)
    for (let i = 0; i < wasm.weightGradient.length; i++) expect(Math.abs(wasm.weightGradient[i]! - javascript.weightGradient[i]!)).toBeLessThan(1e-5)
    for (let i = 0; i < wasm.biasGradient.length; i++) expect(Math.abs(wasm.biasGradient[i]! - javascript.biasGradient[i]!)).toBeLessThan(1e-5)
  })

  it('refuses levels prepared for different kernels in one call', () => {
    const random = seededRandom(22)
    const levels = features(random, layer.inChannels)
    const mixed = [...levelColumns(levels.slice(0, 2), 'javascript'), ...levelColumns(levels.slice(2), 'webassembly')]
    expect(() => headLayerForward(mixed, new Float32Array(9 * 5 * 9), new Float32Array(9), layer)).toThrow(/prepared for different kernels/)
  })
})

describe('head trainer without WebAssembly', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.resetModules()
  })

  const example = tinyExample
  const initial = (): HeadParameters => tinyInitialParameters(seededRandom(3))
  const train = (Trainer: typeof HeadTrainer): HeadParameters => {
    const trainer = new Trainer(tinyHeadShape, initial(), new Uint8Array([1, 1, 1]))
    const batch = [example(1), example(2)]
    for (let step = 0; step < 5; step++) trainer.step(batch, 0.05)
    return trainer.parameters
  }

  it('falls back to the JavaScript kernels and trains to nearly the parameters the WebAssembly kernel reaches', async () => {
    vi.stubGlobal('WebAssembly', undefined)
    vi.resetModules()
    const headLayer = await import('../../../src-main/core/training/head-layer')
    const { HeadTrainer: FallbackTrainer } = await import('../../../src-main/core/training/head-trainer')
    expect(headLayer.DEFAULT_HEAD_LAYER_KERNEL).toBe('javascript')
    expect(() => headLayer.levelColumns(example(1).classFeatures, 'webassembly')).toThrow(/no WebAssembly SIMD/)

    const fallback = train(FallbackTrainer)
    const wasm = train(HeadTrainer)
    const start = initial()
    for (const key of ['classWeight', 'classBias', 'boxWeight', 'boxBias'] as const) {
      let moved = 0
      let apart = 0
      for (let i = 0; i < wasm[key].length; i++) {
        apart = Math.max(apart, Math.abs(fallback[key][i]! - wasm[key][i]!))
        moved = Math.max(moved, Math.abs(wasm[key][i]! - start[key][i]!))
      }
      // Measured: ≤ 1e-8 apart after five steps that move the parameters by up to 0.09.
      expect(apart).toBeLessThan(1e-6)
      expect(moved).toBeGreaterThan(1e-3)
    }
  })
})
