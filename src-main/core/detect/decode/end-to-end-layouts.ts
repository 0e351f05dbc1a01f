/**
 * Layouts whose graph already decoded and suppressed: torchvision's full model
 * (`boxes [M,4]`, `scores [M]`, `labels [M]`, optionally with a batch axis) and mmdeploy
 * (`dets [N,M,5]` = x1, y1, x2, y2, score, plus `labels [N,M]`). What is left: drop scores at or
 * below the threshold (and mmdeploy's zero padding with them), order best first, cap at
 * maxDetections, and map boxes given in the input tensor's frame back to the original image.
 */
import type { Detection, InputFrame, ModelConfig, RawTensor } from '../types'
import { buildDetections, resizedToOriginalScale } from './frame-mapping'
import { orderByScore } from './nms'
import { labelAt, requireFloat, requireFramesForBatch, requireOutput, requireShape } from './tensor-checks'

type EndToEndOutputConfig = Extract<ModelConfig['output'], { layout: 'end-to-end' }>
type MmdeployOutputConfig = Extract<ModelConfig['output'], { layout: 'mmdeploy' }>

interface DecodedColumns {
  /** Values per box in `boxes` (4, or 5 when the score rides along). */
  boxStride: number
  boxes: ArrayLike<number>
  scores: ArrayLike<number>
  scoreStride: number
  scoreOffset: number
  labels: RawTensor['data']
}

function finishImage(
  columns: DecodedColumns,
  image: number,
  boxCount: number,
  frame: InputFrame,
  boxFrame: 'original' | 'input',
  config: ModelConfig,
): Detection[] {
  const threshold = config.postprocess.decodeCutoff
  const boxes = new Float32Array(boxCount * 4)
  const scores = new Float32Array(boxCount)
  const labels = new Int32Array(boxCount)
  let count = 0
  for (let m = 0; m < boxCount; m++) {
    const row = image * boxCount + m
    const score = columns.scores[row * columns.scoreStride + columns.scoreOffset]!
    if (!(score > threshold)) continue
    for (let j = 0; j < 4; j++) boxes[count * 4 + j] = columns.boxes[row * columns.boxStride + j]!
    scores[count] = score
    labels[count] = labelAt(columns.labels, row)
    count++
  }
  const order = orderByScore(scores, count).subarray(0, Math.max(0, config.postprocess.maxDetections))
  const scale = boxFrame === 'input' ? resizedToOriginalScale(frame) : null
  return buildDetections(order, boxes, scores, labels, scale, frame, config.postprocess)
}

export function decodeEndToEnd(
  outputs: Record<string, RawTensor>,
  output: EndToEndOutputConfig,
  config: ModelConfig,
  frames: readonly InputFrame[],
): Detection[][] {
  const boxTensor = requireOutput(outputs, output.boxesOutput, 'boxes')
  const scoreTensor = requireOutput(outputs, output.scoresOutput, 'scores')
  const labelTensor = requireOutput(outputs, output.labelsOutput, 'labels')
  const batched = boxTensor.dims.length === 3
  const batch = batched ? boxTensor.dims[0]! : 1
  const boxCount = boxTensor.dims[batched ? 1 : 0] ?? 0
  const lead = batched ? [batch] : []
  requireShape(boxTensor, output.boxesOutput, [...lead, boxCount, 4], batched ? '[batch, boxes, 4]' : '[boxes, 4]')
  requireShape(scoreTensor, output.scoresOutput, [...lead, boxCount], `one score per box of '${output.boxesOutput}'`)
  requireShape(labelTensor, output.labelsOutput, [...lead, boxCount], `one label per box of '${output.boxesOutput}'`)
  requireFramesForBatch(frames, batch, output.boxesOutput)
  const columns: DecodedColumns = {
    boxStride: 4,
    boxes: requireFloat(boxTensor, output.boxesOutput),
    scores: requireFloat(scoreTensor, output.scoresOutput),
    scoreStride: 1,
    scoreOffset: 0,
    labels: labelTensor.data,
  }
  return frames.map((frame, image) => finishImage(columns, image, boxCount, frame, output.boxFrame, config))
}

export function decodeMmdeploy(
  outputs: Record<string, RawTensor>,
  output: MmdeployOutputConfig,
  config: ModelConfig,
  frames: readonly InputFrame[],
): Detection[][] {
  const detsTensor = requireOutput(outputs, output.detsOutput, 'detections')
  const labelTensor = requireOutput(outputs, output.labelsOutput, 'labels')
  requireShape(detsTensor, output.detsOutput, [null, null, 5], '[batch, boxes, 5] = x1, y1, x2, y2, score')
  const [batch, boxCount] = detsTensor.dims as [number, number, number]
  requireShape(labelTensor, output.labelsOutput, [batch, boxCount], `[batch, boxes] matching '${output.detsOutput}'`)
  requireFramesForBatch(frames, batch, output.detsOutput)
  const dets = requireFloat(detsTensor, output.detsOutput)
  const columns: DecodedColumns = { boxStride: 5, boxes: dets, scores: dets, scoreStride: 5, scoreOffset: 4, labels: labelTensor.data }
  return frames.map((frame, image) => finishImage(columns, image, boxCount, frame, output.boxFrame, config))
}
