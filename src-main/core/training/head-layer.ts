/**
 * One trainable head layer over all pyramid levels: the shared 3×3 convolution applied to each
 * level's tower features, its outputs laid out in the detector's anchor order
 * (n = level's first anchor + (y·W + x)·A + a, then the V values of that anchor: K class logits
 * or 4 box deltas), and the weight gradient of a loss given in that same layout.
 */
import { accumulateWeightGradient, type ConvShape, convolveForward, imageToColumns } from './conv3x3'

export interface LevelFeatures {
  /** [C × H × W] */
  data: Float32Array
  channels: number
  height: number
  width: number
}

/** im2col columns of each level, computed once per image (and per augmentation) and reused every epoch. */
export interface LevelColumns {
  columns: Float32Array
  height: number
  width: number
}

export interface HeadLayerShape {
  inChannels: number
  anchorsPerCell: number
  /** Values per anchor: the class count, or 4 for boxes. */
  valuesPerAnchor: number
}

export function levelColumns(levels: readonly LevelFeatures[]): LevelColumns[] {
  return levels.map((level) => ({
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
  const { anchorsPerCell: anchors, valuesPerAnchor: values } = shape
  const out = new Float32Array(anchorCountOf(levels, anchors) * values)
  let first = 0
  for (const level of levels) {
    const conv = convShape(shape, level)
    const maps = convolveForward(level.columns, weight, bias, conv)
    const plane = level.height * level.width
    for (let channel = 0; channel < conv.outChannels; channel++) {
      const a = Math.floor(channel / values)
      const v = channel - a * values
      const mapStart = channel * plane
      for (let cell = 0; cell < plane; cell++) out[(first + cell * anchors + a) * values + v] = maps[mapStart + cell]!
    }
    first += plane * anchors
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
  const { anchorsPerCell: anchors, valuesPerAnchor: values } = shape
  let first = 0
  for (const level of levels) {
    const conv = convShape(shape, level)
    const plane = level.height * level.width
    const maps = new Float32Array(conv.outChannels * plane)
    for (let channel = 0; channel < conv.outChannels; channel++) {
      const a = Math.floor(channel / values)
      const v = channel - a * values
      const mapStart = channel * plane
      for (let cell = 0; cell < plane; cell++) maps[mapStart + cell] = outputGradient[(first + cell * anchors + a) * values + v]!
    }
    accumulateWeightGradient(level.columns, maps, conv, weightGradient, biasGradient)
    first += plane * anchors
  }
}

function convShape(shape: HeadLayerShape, level: LevelColumns): ConvShape {
  return { inChannels: shape.inChannels, outChannels: shape.anchorsPerCell * shape.valuesPerAnchor, height: level.height, width: level.width }
}
