import { describe, expect, it } from 'vitest'
import {
  accumulateWeightGradient,
  type ConvShape,
  convolveForward,
  imageToColumns,
} from '../../../src-main/core/training/conv3x3'
import { seededRandom } from '../../helpers/seeded-random'

/** Direct 3×3 / stride 1 / pad 1 convolution, the definition the im2col version must equal. */
function naiveConvolution(features: Float32Array, weight: Float32Array, bias: Float32Array, shape: ConvShape): Float64Array {
  const { inChannels, outChannels, height, width } = shape
  const out = new Float64Array(outChannels * height * width)
  for (let o = 0; o < outChannels; o++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = bias[o]!
        for (let c = 0; c < inChannels; c++) {
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const sy = y + ky - 1
              const sx = x + kx - 1
              if (sy < 0 || sy >= height || sx < 0 || sx >= width) continue
              sum += weight[((o * inChannels + c) * 3 + ky) * 3 + kx]! * features[(c * height + sy) * width + sx]!
            }
          }
        }
        out[(o * height + y) * width + x] = sum
      }
    }
  }
  return out
}

function randomArray(random: () => number, length: number): Float32Array {
  return Float32Array.from({ length }, () => random() * 2 - 1)
}

describe('3×3 convolution', () => {
  const shape: ConvShape = { inChannels: 3, outChannels: 4, height: 5, width: 7 }
  const random = seededRandom(7)
  const features = randomArray(random, shape.inChannels * shape.height * shape.width)
  const weight = randomArray(random, shape.outChannels * shape.inChannels * 9)
  const bias = randomArray(random, shape.outChannels)

  it('equals the direct definition, borders included', () => {
    const columns = imageToColumns(features, shape)
    const output = convolveForward(columns, weight, bias, shape)
    const expected = naiveConvolution(features, weight, bias, shape)
    for (let i = 0; i < expected.length; i++) expect(output[i]).toBeCloseTo(expected[i]!, 5)
  })

  it('has the weight and bias gradients finite differences give, for a loss Σ g·output', () => {
    const columns = imageToColumns(features, shape)
    const outputWeights = randomArray(random, shape.outChannels * shape.height * shape.width)
    const loss = (w: Float32Array, b: Float32Array): number => {
      const out = naiveConvolution(features, w, b, shape)
      let sum = 0
      for (let i = 0; i < out.length; i++) sum += outputWeights[i]! * out[i]!
      return sum
    }
    const weightGradient = new Float32Array(weight.length)
    const biasGradient = new Float32Array(bias.length)
    accumulateWeightGradient(columns, outputWeights, shape, weightGradient, biasGradient)
    const step = 1e-2 // the loss is linear in the weights, so a large step is exact
    for (let i = 0; i < weight.length; i += 5) {
      const plus = weight.slice()
      const minus = weight.slice()
      plus[i]! += step
      minus[i]! -= step
      expect(weightGradient[i]).toBeCloseTo((loss(plus, bias) - loss(minus, bias)) / (2 * step), 3)
    }
    for (let o = 0; o < bias.length; o++) {
      const plus = bias.slice()
      const minus = bias.slice()
      plus[o]! += step
      minus[o]! -= step
      expect(biasGradient[o]).toBeCloseTo((loss(weight, plus) - loss(weight, minus)) / (2 * step), 3)
    }
  })

  it('accumulates over images instead of overwriting', () => {
    const columns = imageToColumns(features, shape)
    const gradient = randomArray(random, shape.outChannels * shape.height * shape.width)
    const once = new Float32Array(weight.length)
    const twice = new Float32Array(weight.length)
    const bias1 = new Float32Array(bias.length)
    const bias2 = new Float32Array(bias.length)
    accumulateWeightGradient(columns, gradient, shape, once, bias1)
    accumulateWeightGradient(columns, gradient, shape, twice, bias2)
    accumulateWeightGradient(columns, gradient, shape, twice, bias2)
    for (let i = 0; i < once.length; i++) expect(twice[i]).toBeCloseTo(2 * once[i]!, 4)
  })
})
