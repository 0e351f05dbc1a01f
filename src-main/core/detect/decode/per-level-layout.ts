/**
 * The `per-level` layout (ONNX Model Zoo retinanet-9, NVIDIA ODTK): one class map
 * `[N, A·K, H, W]` (channel a·K + k) and one box map `[N, A·4, H, W]` (channel a·4 + j) per level.
 * Level sizes come from the maps themselves; candidates are indexed as in the concat layout,
 * ((y·W + x)·A + a)·K + k, so both layouts share ordering and tie-breaking.
 */
import type { InputFrame, ModelConfig, RawTensor } from '../types'
import { cachedAnchorGrid } from './anchors'
import { type CandidateBuffer, appendAtOrAbove } from './candidate-buffer'
import { type DenseOutputs, outputsForNoImages } from './dense-decoder'
import { requireFloat, requireFramesForBatch, requireOutput, requireShape } from './tensor-checks'

type PerLevelOutputConfig = Extract<ModelConfig['output'], { layout: 'per-level' }>

/** Output names of class and box maps, P3 first; by default the graph's order (class maps, then box maps). */
function mapNames(outputs: Record<string, RawTensor>, output: PerLevelOutputConfig, levelCount: number): { classNames: string[]; boxNames: string[] } {
  if (output.classOutputs.length > 0 || output.boxOutputs.length > 0) {
    if (output.classOutputs.length !== levelCount || output.boxOutputs.length !== levelCount) {
      throw new Error(
        `output.classOutputs and output.boxOutputs must each name ${levelCount} maps (one per level, as anchors.sizes has), ` +
          `got ${output.classOutputs.length} and ${output.boxOutputs.length}`,
      )
    }
    return { classNames: output.classOutputs, boxNames: output.boxOutputs }
  }
  const names = Object.keys(outputs)
  if (names.length < 2 * levelCount) {
    throw new Error(
      `the per-level layout needs ${levelCount} class maps and ${levelCount} box maps, but the model has ${names.length} outputs: ${names.join(', ')}`,
    )
  }
  return { classNames: names.slice(0, levelCount), boxNames: names.slice(levelCount, 2 * levelCount) }
}

export function perLevelOutputs(
  outputs: Record<string, RawTensor>,
  output: PerLevelOutputConfig,
  config: ModelConfig,
  frames: readonly InputFrame[],
): DenseOutputs {
  const levelCount = config.anchors.sizes.length
  const { classNames, boxNames } = mapNames(outputs, output, levelCount)
  const numClasses = config.numClasses
  const classMaps: Array<Float32Array | Float64Array> = []
  const boxMaps: Array<Float32Array | Float64Array> = []
  const shapes: Array<[number, number]> = []
  let batch = -1

  for (let level = 0; level < levelCount; level++) {
    const anchorsPerCell = (config.anchors.sizes[level]?.length ?? 0) * config.anchors.aspectRatios.length
    const className = classNames[level]!
    const boxName = boxNames[level]!
    const classTensor = requireOutput(outputs, className, `P${level + 3} class map`)
    const boxTensor = requireOutput(outputs, boxName, `P${level + 3} box map`)
    const expectedBatch = batch < 0 ? null : batch
    requireShape(
      classTensor,
      className,
      [expectedBatch, anchorsPerCell * numClasses, null, null],
      `P${level + 3} class map [batch, ${anchorsPerCell} anchors × ${numClasses} classes, height, width]`,
    )
    const [n, , height, width] = classTensor.dims as [number, number, number, number]
    batch = n
    requireShape(boxTensor, boxName, [n, anchorsPerCell * 4, height, width], `P${level + 3} box map [batch, ${anchorsPerCell} anchors × 4, height, width] matching '${className}'`)
    classMaps.push(requireFloat(classTensor, className))
    boxMaps.push(requireFloat(boxTensor, boxName))
    shapes.push([height, width])
  }
  requireFramesForBatch(frames, Math.max(batch, 0), classNames[0] ?? 'class map')
  const frame = frames[0]
  if (!frame) return outputsForNoImages(config)
  const grid = cachedAnchorGrid(frame.paddedHeight, frame.paddedWidth, shapes, config.anchors)

  return {
    grid,
    numClasses,
    scores: output.scores,
    scanLevel(image: number, levelIndex: number, bound: number, buffer: CandidateBuffer): void {
      const level = grid.levels[levelIndex]!
      const data = classMaps[levelIndex]!
      const cells = level.height * level.width
      const channels = level.anchorsPerCell * numClasses
      // Channel a·K + k of cell c is candidate (c·A + a)·K + k = channel + c·(A·K).
      for (let channel = 0; channel < channels; channel++) {
        const start = (image * channels + channel) * cells
        appendAtOrAbove(data.subarray(start, start + cells), bound, buffer, channel, channels)
      }
    },
    readDeltas(image: number, levelIndex: number, local: number, out: Float32Array): void {
      const level = grid.levels[levelIndex]!
      const data = boxMaps[levelIndex]!
      const cells = level.height * level.width
      const anchorInCell = local % level.anchorsPerCell
      const cell = (local - anchorInCell) / level.anchorsPerCell
      const base = (image * level.anchorsPerCell * 4 + anchorInCell * 4) * cells + cell
      out[0] = data[base]!
      out[1] = data[base + cells]!
      out[2] = data[base + 2 * cells]!
      out[3] = data[base + 3 * cells]!
    },
  }
}
