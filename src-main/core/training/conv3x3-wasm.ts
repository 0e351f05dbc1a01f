/**
 * The head layer's 3×3 / stride 1 / pad 1 convolution on WebAssembly SIMD (module in
 * conv3x3-wasm-module.ts), over all pyramid levels of one image, with outputs and output
 * gradients in the head layer's anchor order ([positions × O], see head-layer.ts). Where the
 * engine lacks WebAssembly SIMD, `wasmConvolution` is null and head-layer.ts uses the
 * JavaScript im2col kernels (conv3x3.ts).
 *
 * Layout. A level's input is kept position-major with a zero border: the padded grid is
 * (H + 2) × (W + 2) positions of C′ channels each (C′ = C rounded up to the gradient tile),
 * padded position (y + 1, x + 1) holding input (y, x). Output position (y, x) is computed at row
 * p = y·(W + 2) + x, and its input under tap (ky, kx) is the padded row p + ky·(W + 2) + kx: a
 * fixed shift per tap, so the convolution is nine shifted matrix products and the im2col matrix
 * (9× the features) is never built. The two rows per line at x = W, W + 1 are computed and
 * dropped (their gradient rows are zero); rows run to a multiple of the forward tile, and zero
 * rows past the grid cover the last shifts.
 *
 * Memory. One image's levels pass through the module one level at a time (features in, output
 * out), so the module's memory grows to the largest level's size, not a training set's: for the
 * bundled model at 1.2× scale about 2 MB. WebAssembly memory never shrinks.
 *
 * Arithmetic differs from the JavaScript kernel only in rounding (each product rounded to
 * float32 before the add, taps summed before channels, gradient sums kept in float32 lanes);
 * test/unit/training/conv3x3-wasm.test.ts bounds the difference. The bias gradient is summed
 * here in JavaScript exactly as conv3x3.ts sums it.
 */
import {
  convolutionModuleBytes,
  FORWARD_TILE,
  type ForwardTile,
  GRADIENT_TILE,
  type GradientTile,
  TAP_COUNT,
} from './conv3x3-wasm-module'
import { instantiateModule, type WasmMemory } from '../detect/wasm-assembly'

interface KernelExports {
  memory: WasmMemory
  forward(features: number, weights: number, bias: number, taps: number, output: number, rows: number, rowBytes: number, outBytes: number, tapBytes: number): void
  weightGradient(features: number, gradient: number, taps: number, weightGradient: number, rows: number, rowBytes: number, outBytes: number, tapBytes: number): void
}

/** One level's input: [C × H × W] float32. */
export interface LevelInput {
  data: Float32Array
  channels: number
  height: number
  width: number
}

/** A level laid out for the kernel (see the layout note above), made once per image and reused. */
export interface PaddedLevel {
  /** [inputRows × paddedChannels], zero outside the level. */
  rows: Float32Array
  channels: number
  paddedChannels: number
  height: number
  width: number
  /** Rows of output computed: H·(W + 2) rounded up to the forward tile. */
  outputRows: number
}

/** Rows of positions the weight gradient sums per call, so that a chunk's features and gradients stay in cache. */
const GRADIENT_CHUNK_ROWS = 128
const TAP_TABLE_BYTES = 64

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple
const greatestCommonDivisor = (a: number, b: number): number => (b === 0 ? a : greatestCommonDivisor(b, a % b))

export class WasmConvolution {
  private readonly outputChannelMultiple: number

  private constructor(
    private readonly kernel: KernelExports,
    private readonly forwardTile: ForwardTile,
    private readonly gradientTile: GradientTile,
  ) {
    const vectors = (forwardTile.vectors * gradientTile.vectors) / greatestCommonDivisor(forwardTile.vectors, gradientTile.vectors)
    this.outputChannelMultiple = 4 * vectors
  }

  /** Null where WebAssembly SIMD is unavailable. Other tiles are for tests and tuning. */
  static create(forwardTile: ForwardTile = FORWARD_TILE, gradientTile: GradientTile = GRADIENT_TILE): WasmConvolution | null {
    const kernel = instantiateModule<KernelExports>(convolutionModuleBytes(forwardTile, gradientTile))
    return kernel ? new WasmConvolution(kernel, forwardTile, gradientTile) : null
  }

  /** CHW features → the zero-bordered, position-major rows the kernel reads. */
  pad(level: LevelInput): PaddedLevel {
    const { channels, height, width, data } = level
    const stride = width + 2
    const paddedChannels = roundUp(channels, this.gradientTile.channels)
    const outputRows = roundUp(height * stride, this.forwardTile.rows)
    const rows = new Float32Array(inputRowsOf(outputRows, width) * paddedChannels)
    const plane = height * width
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const row = ((y + 1) * stride + x + 1) * paddedChannels
        const source = y * width + x
        for (let c = 0; c < channels; c++) rows[row + c] = data[c * plane + source]!
      }
    }
    return { rows, channels, paddedChannels, height, width, outputRows }
  }

  /**
   * [Σ H·W × O] outputs of all levels, position-major (level by level, position y·W + x, then
   * output channel). `weight` is [O × C × 3 × 3] as ONNX stores it.
   */
  forward(levels: readonly PaddedLevel[], weight: Float32Array, bias: Float32Array, outChannels: number): Float32Array {
    const output = new Float32Array(levels.reduce((sum, level) => sum + level.height * level.width, 0) * outChannels)
    if (levels.length === 0) return output
    if (weight.length !== outChannels * levels[0]!.channels * TAP_COUNT || bias.length !== outChannels) {
      throw new Error(`a ${outChannels}-channel 3×3 layer over ${levels[0]!.channels} channels needs ${outChannels * levels[0]!.channels * TAP_COUNT} weights and ${outChannels} biases`)
    }
    const layout = this.layout(levels, outChannels)
    const floats = this.floats(layout.end)
    packWeights(weight, floats, layout, levels[0]!.channels, outChannels)
    floats.fill(0, layout.bias >> 2, (layout.bias >> 2) + layout.outStride)
    floats.set(bias, layout.bias >> 2)
    let first = 0
    for (const level of levels) {
      this.loadLevel(level, floats, layout)
      this.kernel.forward(layout.features, layout.weights, layout.bias, 0, layout.output, level.outputRows, layout.rowBytes, layout.outStride * 4, layout.tapBytes)
      const { height, width } = level
      const stride = width + 2
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const from = (layout.output >> 2) + (y * stride + x) * layout.outStride
          output.set(floats.subarray(from, from + outChannels), (first + y * width + x) * outChannels)
        }
      }
      first += height * width
    }
    return output
  }

  /**
   * Adds the weight and bias gradients of all levels for an output gradient in forward's
   * layout: dW[O × C × 3 × 3] += Σ_p input-under-tapᵀ · dOut, db += Σ_p dOut.
   */
  accumulateGradient(
    levels: readonly PaddedLevel[],
    outputGradient: Float32Array,
    outChannels: number,
    weightGradient: Float32Array,
    biasGradient: Float32Array,
  ): void {
    if (levels.length === 0) return
    if (weightGradient.length !== outChannels * levels[0]!.channels * TAP_COUNT || biasGradient.length !== outChannels) {
      throw new Error(`a ${outChannels}-channel 3×3 layer over ${levels[0]!.channels} channels has ${outChannels * levels[0]!.channels * TAP_COUNT} weights and ${outChannels} biases`)
    }
    const positions = levels.reduce((sum, level) => sum + level.height * level.width, 0)
    if (outputGradient.length !== positions * outChannels) throw new Error(`the output gradient has ${outputGradient.length} values, not ${positions} × ${outChannels}`)
    const layout = this.layout(levels, outChannels)
    const floats = this.floats(layout.end)
    floats.fill(0, layout.weightGradient >> 2, (layout.weightGradient + layout.weightBytes) >> 2)
    let first = 0
    for (const level of levels) {
      const { height, width } = level
      const plane = height * width
      addBiasGradient(outputGradient, first * outChannels, plane, outChannels, biasGradient)
      this.loadLevel(level, floats, layout)
      const stride = width + 2
      const gradientStart = layout.output >> 2
      floats.fill(0, gradientStart, gradientStart + level.outputRows * layout.outStride)
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const from = (first + y * width + x) * outChannels
          floats.set(outputGradient.subarray(from, from + outChannels), gradientStart + (y * stride + x) * layout.outStride)
        }
      }
      const outBytes = layout.outStride * 4
      for (let row = 0; row < level.outputRows; row += GRADIENT_CHUNK_ROWS) {
        const rows = Math.min(GRADIENT_CHUNK_ROWS, level.outputRows - row)
        this.kernel.weightGradient(layout.features + row * layout.rowBytes, layout.output + row * outBytes, 0, layout.weightGradient, rows, layout.rowBytes, outBytes, layout.tapBytes)
      }
      first += plane
    }
    unpackWeightGradient(floats, layout, levels[0]!.channels, outChannels, weightGradient)
  }

  private layout(levels: readonly PaddedLevel[], outChannels: number): Layout {
    const { channels, paddedChannels } = levels[0]!
    for (const level of levels) {
      if (level.channels !== channels) throw new Error('all levels of a head layer have the same channels')
      if (level.paddedChannels !== paddedChannels || level.outputRows % this.forwardTile.rows !== 0 || paddedChannels % this.gradientTile.channels !== 0) {
        throw new Error('a level was padded for another kernel')
      }
    }
    const outStride = roundUp(outChannels, this.outputChannelMultiple)
    const rowBytes = paddedChannels * 4
    const tapBytes = paddedChannels * outStride * 4
    const weightBytes = TAP_COUNT * tapBytes
    const weights = TAP_TABLE_BYTES
    const weightGradient = weights + weightBytes
    const bias = weightGradient + weightBytes
    const features = bias + outStride * 4
    const inputBytes = Math.max(...levels.map((level) => level.rows.length * 4))
    const output = features + roundUp(inputBytes, 16)
    const end = output + Math.max(...levels.map((level) => level.outputRows)) * outStride * 4
    return { paddedChannels, outStride, rowBytes, tapBytes, weightBytes, weights, weightGradient, bias, features, output, end }
  }

  /** A view of the module's memory, grown to `bytes` first (growing replaces the buffer). */
  private floats(bytes: number): Float32Array {
    const memory = this.kernel.memory
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536))
    return new Float32Array(memory.buffer)
  }

  /** The level's rows and its tap table into memory. */
  private loadLevel(level: PaddedLevel, floats: Float32Array, layout: Layout): void {
    const stride = level.width + 2
    const taps = new Int32Array(floats.buffer, 0, TAP_COUNT)
    for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) taps[ky * 3 + kx] = (ky * stride + kx) * layout.rowBytes
    floats.set(level.rows, layout.features >> 2)
  }
}

interface Layout {
  paddedChannels: number
  /** O′: output channels rounded up to the tiles' vector width. */
  outStride: number
  rowBytes: number
  tapBytes: number
  weightBytes: number
  /** Byte addresses (the tap table is at 0). */
  weights: number
  weightGradient: number
  bias: number
  features: number
  output: number
  end: number
}

function inputRowsOf(outputRows: number, width: number): number {
  // The largest shift, tap (2, 2), reads 2·(W + 2) + 2 rows past the last output row.
  return outputRows + 2 * (width + 2) + 2
}

/** [O × C × 3 × 3] → [tap][C′][O′] with zeros in the padding. */
function packWeights(weight: Float32Array, floats: Float32Array, layout: Layout, channels: number, outChannels: number): void {
  const base = layout.weights >> 2
  floats.fill(0, base, base + (layout.weightBytes >> 2))
  for (let o = 0; o < outChannels; o++) {
    for (let c = 0; c < channels; c++) {
      const from = (o * channels + c) * TAP_COUNT
      for (let k = 0; k < TAP_COUNT; k++) floats[base + (k * layout.paddedChannels + c) * layout.outStride + o] = weight[from + k]!
    }
  }
}

/** weightGradient[O × C × 3 × 3] += the module's [tap][C′][O′] sums. */
function unpackWeightGradient(floats: Float32Array, layout: Layout, channels: number, outChannels: number, weightGradient: Float32Array): void {
  const base = layout.weightGradient >> 2
  for (let o = 0; o < outChannels; o++) {
    for (let c = 0; c < channels; c++) {
      const to = (o * channels + c) * TAP_COUNT
      for (let k = 0; k < TAP_COUNT; k++) weightGradient[to + k]! += floats[base + (k * layout.paddedChannels + c) * layout.outStride + o]!
    }
  }
}

/**
 * db[o] += Σ over the level's positions, summed in double in position order as conv3x3.ts does
 * (one pass over the gradient; each channel's additions keep that order, so the bits are the same).
 */
function addBiasGradient(outputGradient: Float32Array, start: number, positions: number, outChannels: number, biasGradient: Float32Array): void {
  const sums = new Float64Array(outChannels)
  for (let p = 0, at = start; p < positions; p++) for (let o = 0; o < outChannels; o++, at++) sums[o]! += outputGradient[at]!
  for (let o = 0; o < outChannels; o++) biasGradient[o]! += sums[o]!
}

/** The kernel this engine runs, or null without WebAssembly SIMD. */
export const wasmConvolution = WasmConvolution.create()
