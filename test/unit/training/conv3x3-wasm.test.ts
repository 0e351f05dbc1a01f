/**
 * The WebAssembly SIMD convolution (conv3x3-wasm.ts) against the JavaScript im2col kernels
 * (conv3x3.ts) and against the exact sums in double, on shapes that exercise its padding:
 * channel counts and planes that are not multiples of the tiles, 1×1 and 2×3 levels, several
 * levels in one call. Both kernels sum float32 values one after another, and recursive float32
 * summation of n terms is within γ(n)·Σ|term| of the exact sum, γ(n) = n·u / (1 − n·u) with
 * u = 2⁻²⁴ (Higham, Accuracy and Stability of Numerical Algorithms, §4.2): that is the tolerance.
 */
import { describe, expect, it } from 'vitest'
import { accumulateWeightGradient, convolveForward, imageToColumns } from '../../../src-main/core/training/conv3x3'
import { type LevelInput, WasmConvolution, wasmConvolution } from '../../../src-main/core/training/conv3x3-wasm'
import { seededRandom } from '../../helpers/seeded-random'

const UNIT_ROUNDOFF = 2 ** -24
const gamma = (terms: number) => (terms * UNIT_ROUNDOFF) / (1 - terms * UNIT_ROUNDOFF)

interface Case {
  name: string
  inChannels: number
  outChannels: number
  planes: Array<[number, number]>
}

const CASES: Case[] = [
  { name: 'one channel in and out, a 1×1 level', inChannels: 1, outChannels: 1, planes: [[1, 1]] },
  { name: '3 → 5 channels over 2×3, 1×1 and 1×7 levels', inChannels: 3, outChannels: 5, planes: [[2, 3], [1, 1], [1, 7]] },
  { name: '5 → 13 channels over 7×5, 5×1 and 3×4 levels', inChannels: 5, outChannels: 13, planes: [[7, 5], [5, 1], [3, 4]] },
  { name: '64 → 45 channels as the bundled class head, small planes', inChannels: 64, outChannels: 45, planes: [[9, 11], [5, 6], [3, 3], [2, 2], [1, 1]] },
]

/** The WebAssembly kernel with its default tiles, and one with other tiles so that other padding is exercised too. */
const KERNELS: Array<[string, WasmConvolution | null]> = [
  ['default tiles', wasmConvolution],
  ['3-row / 3-channel tiles', WasmConvolution.create({ rows: 3, vectors: 1 }, { channels: 3, vectors: 3 })],
]

function randomArray(random: () => number, length: number): Float32Array {
  return Float32Array.from({ length }, () => random() * 2 - 1)
}

function levelsOf(random: () => number, testCase: Case): LevelInput[] {
  return testCase.planes.map(([height, width]) => ({ data: randomArray(random, testCase.inChannels * height * width), channels: testCase.inChannels, height, width }))
}

/** Input value under tap (ky, kx) of output (y, x), zero outside the level. */
function inputAt(level: LevelInput, c: number, y: number, x: number, ky: number, kx: number): number {
  const sy = y + ky - 1
  const sx = x + kx - 1
  if (sy < 0 || sy >= level.height || sx < 0 || sx >= level.width) return 0
  return level.data[(c * level.height + sy) * level.width + sx]!
}

/** Exact (double) forward outputs in the kernel's layout, with Σ|term| per output for the error bound. */
function exactForward(levels: LevelInput[], weight: Float32Array, bias: Float32Array, outChannels: number) {
  const values: number[] = []
  const magnitudes: number[] = []
  for (const level of levels) {
    for (let y = 0; y < level.height; y++) {
      for (let x = 0; x < level.width; x++) {
        for (let o = 0; o < outChannels; o++) {
          let sum = bias[o]!
          let magnitude = Math.abs(bias[o]!)
          for (let c = 0; c < level.channels; c++) {
            for (let k = 0; k < 9; k++) {
              const term = weight[(o * level.channels + c) * 9 + k]! * inputAt(level, c, y, x, Math.floor(k / 3), k % 3)
              sum += term
              magnitude += Math.abs(term)
            }
          }
          values.push(sum)
          magnitudes.push(magnitude)
        }
      }
    }
  }
  return { values, magnitudes }
}

/** Exact (double) weight gradient of Σ g·output, with Σ|term| per weight. */
function exactWeightGradient(levels: LevelInput[], outputGradient: Float32Array, outChannels: number) {
  const channels = levels[0]!.channels
  const values = new Float64Array(outChannels * channels * 9)
  const magnitudes = new Float64Array(values.length)
  let first = 0
  for (const level of levels) {
    for (let y = 0; y < level.height; y++) {
      for (let x = 0; x < level.width; x++) {
        const position = first + y * level.width + x
        for (let o = 0; o < outChannels; o++) {
          const g = outputGradient[position * outChannels + o]!
          for (let c = 0; c < channels; c++) {
            for (let k = 0; k < 9; k++) {
              const term = g * inputAt(level, c, y, x, Math.floor(k / 3), k % 3)
              values[(o * channels + c) * 9 + k]! += term
              magnitudes[(o * channels + c) * 9 + k]! += Math.abs(term)
            }
          }
        }
      }
    }
    first += level.height * level.width
  }
  return { values, magnitudes }
}

/** The JavaScript kernels over the same levels, in the WebAssembly kernel's position-major layout. */
function javascriptKernel(levels: LevelInput[], weight: Float32Array, bias: Float32Array, outChannels: number, outputGradient: Float32Array) {
  const output: number[] = []
  const weightGradient = new Float32Array(weight.length)
  const biasGradient = new Float32Array(bias.length)
  let first = 0
  for (const level of levels) {
    const shape = { inChannels: level.channels, outChannels, height: level.height, width: level.width }
    const plane = level.height * level.width
    const columns = imageToColumns(level.data, shape)
    const maps = convolveForward(columns, weight, bias, shape)
    const gradientMaps = new Float32Array(outChannels * plane)
    for (let p = 0; p < plane; p++) {
      for (let o = 0; o < outChannels; o++) {
        output.push(maps[o * plane + p]!)
        gradientMaps[o * plane + p] = outputGradient[(first + p) * outChannels + o]!
      }
    }
    accumulateWeightGradient(columns, gradientMaps, shape, weightGradient, biasGradient)
    first += plane
  }
  return { output, weightGradient, biasGradient }
}

function largestRelativeError(actual: ArrayLike<number>, exact: ArrayLike<number>, magnitudes: ArrayLike<number>): number {
  let largest = 0
  for (let i = 0; i < exact.length; i++) {
    if (magnitudes[i] === 0) expect(actual[i]).toBe(0)
    else largest = Math.max(largest, Math.abs(actual[i]! - exact[i]!) / magnitudes[i]!)
  }
  return largest
}

describe.each(KERNELS)('WebAssembly SIMD 3×3 convolution, %s', (_, kernel) => {
  it.skipIf(!kernel).each(CASES)('$name: outputs and gradients within float32 summation error of the exact sums, as the JavaScript kernels are', (testCase) => {
    const random = seededRandom(testCase.inChannels * 101 + testCase.outChannels)
    const levels = levelsOf(random, testCase)
    const { inChannels, outChannels } = testCase
    const weight = randomArray(random, outChannels * inChannels * 9)
    const bias = randomArray(random, outChannels)
    const positions = testCase.planes.reduce((sum, [height, width]) => sum + height * width, 0)
    const outputGradient = randomArray(random, positions * outChannels)

    const padded = levels.map((level) => kernel!.pad(level))
    const output = kernel!.forward(padded, weight, bias, outChannels)
    const weightGradient = new Float32Array(weight.length)
    const biasGradient = new Float32Array(bias.length)
    kernel!.accumulateGradient(padded, outputGradient, outChannels, weightGradient, biasGradient)
    const javascript = javascriptKernel(levels, weight, bias, outChannels, outputGradient)

    const forward = exactForward(levels, weight, bias, outChannels)
    expect(output.length).toBe(forward.values.length)
    const forwardBound = gamma(inChannels * 9 + 1)
    expect(largestRelativeError(output, forward.values, forward.magnitudes)).toBeLessThanOrEqual(forwardBound)
    expect(largestRelativeError(javascript.output, forward.values, forward.magnitudes)).toBeLessThanOrEqual(forwardBound)

    const gradient = exactWeightGradient(levels, outputGradient, outChannels)
    // Sums of up to `positions` products (computed rows include each line's two dropped ones), then per chunk and level.
    const gradientBound = gamma(2 * positions + 2 * testCase.planes.length + 8)
    expect(largestRelativeError(weightGradient, gradient.values, gradient.magnitudes)).toBeLessThanOrEqual(gradientBound)
    expect(largestRelativeError(javascript.weightGradient, gradient.values, gradient.magnitudes)).toBeLessThanOrEqual(gradientBound)
    // The bias gradient is summed the same way by both.
    expect(Array.from(biasGradient)).toEqual(Array.from(javascript.biasGradient))
  })

  it.skipIf(!kernel)('gives the same bits on a second call, after a larger level has grown its memory, and adds to the gradients it is given', () => {
    const random = seededRandom(11)
    const small: Case = { name: 'small', inChannels: 6, outChannels: 7, planes: [[2, 3], [1, 1]] }
    const levels = levelsOf(random, small)
    const weight = randomArray(random, 7 * 6 * 9)
    const bias = randomArray(random, 7)
    const outputGradient = randomArray(random, 7 * 7)
    const run = () => {
      const padded = levels.map((level) => kernel!.pad(level))
      const weightGradient = new Float32Array(weight.length)
      const biasGradient = new Float32Array(bias.length)
      kernel!.accumulateGradient(padded, outputGradient, 7, weightGradient, biasGradient)
      return { output: kernel!.forward(padded, weight, bias, 7), weightGradient, biasGradient, padded }
    }
    const first = run()
    const large = levelsOf(random, { ...small, planes: [[60, 70]] }).map((level) => kernel!.pad(level))
    kernel!.forward(large, weight, bias, 7)
    const second = run()
    expect(second.output).toEqual(first.output)
    expect(second.weightGradient).toEqual(first.weightGradient)

    // Onto gradients already holding values: each weight gets its float32 sum added once.
    const weightBefore = randomArray(random, weight.length)
    const biasBefore = randomArray(random, bias.length)
    const weightAfter = weightBefore.slice()
    const biasAfter = biasBefore.slice()
    kernel!.accumulateGradient(first.padded, outputGradient, 7, weightAfter, biasAfter)
    for (let i = 0; i < weightAfter.length; i++) expect(weightAfter[i]).toBe(Math.fround(weightBefore[i]! + first.weightGradient[i]!))
    for (let o = 0; o < 7; o++) {
      // Level by level (six positions, then one), each level's sum in double, as conv3x3.ts adds them.
      let sum = 0
      for (let p = 0; p < 6; p++) sum += outputGradient[p * 7 + o]!
      expect(biasAfter[o]).toBe(Math.fround(Math.fround(biasBefore[o]! + sum) + outputGradient[6 * 7 + o]!))
    }
  })

  it.skipIf(!kernel)('refuses weights, biases or gradients of the wrong size', () => {
    const random = seededRandom(5)
    const padded = levelsOf(random, { name: '', inChannels: 3, outChannels: 2, planes: [[2, 2]] }).map((level) => kernel!.pad(level))
    expect(() => kernel!.forward(padded, new Float32Array(2 * 3 * 9 - 1), new Float32Array(2), 2)).toThrow(/needs 54 weights and 2 biases/)
    expect(() => kernel!.forward(padded, new Float32Array(2 * 3 * 9), new Float32Array(3), 2)).toThrow(/needs 54 weights and 2 biases/)
    expect(() => kernel!.accumulateGradient(padded, new Float32Array(7), 2, new Float32Array(54), new Float32Array(2))).toThrow(/has 7 values, not 4 × 2/)
    const other = levelsOf(random, { name: '', inChannels: 4, outChannels: 2, planes: [[1, 1]] }).map((level) => kernel!.pad(level))
    expect(() => kernel!.forward([...padded, ...other], new Float32Array(54), new Float32Array(2), 2)).toThrow(/same channels/)
  })
})

describe('WebAssembly SIMD in this engine', () => {
  it('is available where the tests run (Node ≥ 16.4 on x86-64 with SSE4.1, or arm64), so the kernel above was not skipped', () => {
    expect(wasmConvolution).not.toBeNull()
  })
})
