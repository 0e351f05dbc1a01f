/**
 * One trainable head layer over all pyramid levels: the shared 3×3 convolution applied to each
 * level's tower features, its outputs laid out in the detector's anchor order
 * (n = level's first anchor + (y·W + x)·A + a, then the V values of that anchor: K class logits
 * or 4 box deltas), and the weight gradient of a loss given in that same layout.
 *
 * Two kernels compute it: WebAssembly SIMD (conv3x3-wasm.ts, about 20× faster) where the engine
 * has it, else the JavaScript im2col kernels (conv3x3.ts). Each is deterministic, so a resumed
 * run on the same machine repeats a straight run's bytes; the two differ only in float32
 * rounding (test/unit/training/conv3x3-wasm.test.ts).
 */
import { accumulateWeightGradient, type ConvShape, convolveForward, imageToColumns } from './conv3x3'
import { type PaddedLevel, wasmConvolution } from './conv3x3-wasm'

export interface LevelFeatures {
  /** [C × H × W] */
  data: Float32Array
  channels: number
  height: number
  width: number
}

export type HeadLayerKernel = 'webassembly' | 'javascript'

/** The kernel training uses here: WebAssembly SIMD where available. */
export const DEFAULT_HEAD_LAYER_KERNEL: HeadLayerKernel = wasmConvolution ? 'webassembly' : 'javascript'

/**
 * A level's input as its kernel reads it, computed once per image (and per augmentation) and
 * reused by the forward and backward passes: im2col columns for JavaScript, zero-bordered
 * position-major rows for WebAssembly.
 */
export type LevelColumns =
  | { kernel: 'javascript'; columns: Float32Array; height: number; width: number }
  | { kernel: 'webassembly'; padded: PaddedLevel; height: number; width: number }

export interface HeadLayerShape {
  inChannels: number
  anchorsPerCell: number
  /** Values per anchor: the class count, or 4 for boxes. */
  valuesPerAnchor: number
}

export function levelColumns(levels: readonly LevelFeatures[], kernel: HeadLayerKernel = DEFAULT_HEAD_LAYER_KERNEL): LevelColumns[] {
  if (kernel === 'webassembly') {
    if (!wasmConvolution) throw new Error('this engine has no WebAssembly SIMD for the head layer kernel')
    return levels.map((level) => ({ kernel, padded: wasmConvolution!.pad(level), height: level.height, width: level.width }))
  }
  return levels.map((level) => ({
    kernel,
    columns: imageToColumns(level.data, { inChannels: level.channels, height: level.height, width: level.width }),
    height: level.height,
    width: level.width,
  }))
}

export function anchorCountOf(levels: readonly LevelColumns[], anchorsPerCell: number): number {
  return levels.reduce((sum, level) => sum + level.height * level.width * anchorsPerCell, 0)
}

/** [anchors × V] outputs of the layer for one image. */
export function headLayerForward(levels: readonly LevelColumns[], weight: Float32Array, bias: Float32Array, shape: HeadLayerShape): Float32Array {
  const padded = paddedLevels(levels)
  if (padded) return wasmConvolution!.forward(padded, weight, bias, shape.anchorsPerCell * shape.valuesPerAnchor)
  const outChannels = shape.anchorsPerCell * shape.valuesPerAnchor
  const out = new Float32Array(anchorCountOf(levels, shape.anchorsPerCell) * shape.valuesPerAnchor)
  let first = 0
  for (const level of javascriptLevels(levels)) {
    const maps = convolveForward(level.columns, weight, bias, convShape(shape, level))
    const plane = level.height * level.width
    // Channel-major maps → anchor order, which is position-major: (first + cell)·O + channel.
    for (let channel = 0; channel < outChannels; channel++) {
      const mapStart = channel * plane
      for (let cell = 0; cell < plane; cell++) out[(first + cell) * outChannels + channel] = maps[mapStart + cell]!
    }
    first += plane
  }
  return out
}

/** Adds the weight and bias gradients of a loss whose gradient with respect to the outputs is `outputGradient` ([anchors × V]). */
export function headLayerBackward(
  levels: readonly LevelColumns[],
  outputGradient: Float32Array,
  shape: HeadLayerShape,
  weightGradient: Float32Array,
  biasGradient: Float32Array,
): void {
  const outChannels = shape.anchorsPerCell * shape.valuesPerAnchor
  const padded = paddedLevels(levels)
  if (padded) {
    wasmConvolution!.accumulateGradient(padded, outputGradient, outChannels, weightGradient, biasGradient)
    return
  }
  let first = 0
  for (const level of javascriptLevels(levels)) {
    const plane = level.height * level.width
    const maps = new Float32Array(outChannels * plane)
    for (let channel = 0; channel < outChannels; channel++) {
      const mapStart = channel * plane
      for (let cell = 0; cell < plane; cell++) maps[mapStart + cell] = outputGradient[(first + cell) * outChannels + channel]!
    }
    accumulateWeightGradient(level.columns, maps, convShape(shape, level), weightGradient, biasGradient)
    first += plane
  }
}

/** The WebAssembly inputs when every level has one, null when every level has JavaScript columns. */
function paddedLevels(levels: readonly LevelColumns[]): PaddedLevel[] | null {
  if (levels.length === 0 || !levels.every((level) => level.kernel === 'webassembly')) return null
  return levels.map((level) => level.padded)
}

function javascriptLevels(levels: readonly LevelColumns[]): Array<Extract<LevelColumns, { kernel: 'javascript' }>> {
  return levels.map((level) => {
    if (level.kernel !== 'javascript') throw new Error('the levels of one head layer were prepared for different kernels')
    return level
  })
}

function convShape(shape: HeadLayerShape, level: { height: number; width: number }): ConvShape {
  return { inChannels: shape.inChannels, outChannels: shape.anchorsPerCell * shape.valuesPerAnchor, height: level.height, width: level.width }
}
