/**
 * The `concat` layout: torchvision's head outputs exported raw, `cls [N, ΣHWA, K]` and
 * `box [N, ΣHWA, 4]`, levels concatenated P3→P7. The tensors carry no level sizes, so they are
 * derived from the padded input size as the backbone's convolutions produce them, and checked
 * against the tensor's anchor count.
 */
import type { InputFrame, ModelConfig, RawTensor } from '../types'
import { type AnchorGrid, cachedAnchorGrid, derivedLevelShapes } from './anchors'
import { type CandidateBuffer, appendAtOrAbove } from './candidate-buffer'
import { type DenseOutputs, outputsForNoImages } from './dense-decoder'
import { formatDims, requireFloat, requireFramesForBatch, requireOutput, requireShape } from './tensor-checks'

type ConcatOutputConfig = Extract<ModelConfig['output'], { layout: 'concat' }>

function describeGrid(grid: AnchorGrid): string {
  const levels = grid.levels.map((level, index) => `P${index + 3} ${level.height}×${level.width}`).join(', ')
  const perCell = [...new Set(grid.levels.map((level) => level.anchorsPerCell))].join('/')
  return `${levels}; ${perCell} anchors per cell`
}

export function concatOutputs(
  outputs: Record<string, RawTensor>,
  output: ConcatOutputConfig,
  config: ModelConfig,
  frames: readonly InputFrame[],
): DenseOutputs {
  const classTensor = requireOutput(outputs, output.classOutput, 'class scores')
  const boxTensor = requireOutput(outputs, output.boxOutput, 'box regression')
  requireShape(classTensor, output.classOutput, [null, null, config.numClasses], `[batch, anchors, ${config.numClasses} classes]`)
  const [batch, anchorCount] = classTensor.dims as [number, number, number]
  requireShape(boxTensor, output.boxOutput, [batch, anchorCount, 4], `[batch, anchors, 4] matching '${output.classOutput}'`)
  requireFramesForBatch(frames, batch, output.classOutput)
  const frame = frames[0]
  if (!frame) return outputsForNoImages(config)

  const shapes = derivedLevelShapes(frame.paddedHeight, frame.paddedWidth, config.anchors.sizes.length)
  const grid = cachedAnchorGrid(frame.paddedHeight, frame.paddedWidth, shapes, config.anchors)
  if (grid.anchorCount !== anchorCount) {
    throw new Error(
      `output '${output.classOutput}' ${formatDims(classTensor.dims)} has ${anchorCount} anchors per image, but a ` +
        `${frame.paddedWidth}×${frame.paddedHeight} padded input gives ${grid.anchorCount} (${describeGrid(grid)}); ` +
        `check input.padMultiple, the resize settings and anchors.sizes/aspectRatios`,
    )
  }

  const classes = requireFloat(classTensor, output.classOutput)
  const regression = requireFloat(boxTensor, output.boxOutput)
  const numClasses = config.numClasses

  return {
    grid,
    numClasses,
    scores: output.scores,
    scanLevel(image: number, levelIndex: number, bound: number, buffer: CandidateBuffer): void {
      const level = grid.levels[levelIndex]!
      const start = (image * anchorCount + level.firstAnchor) * numClasses
      appendAtOrAbove(classes.subarray(start, start + level.anchorCount * numClasses), bound, buffer, 0, 1)
    },
    readDeltas(image: number, levelIndex: number, local: number, out: Float32Array): void {
      const offset = (image * anchorCount + grid.levels[levelIndex]!.firstAnchor + local) * 4
      out[0] = regression[offset]!
      out[1] = regression[offset + 1]!
      out[2] = regression[offset + 2]!
      out[3] = regression[offset + 3]!
    },
  }
}
