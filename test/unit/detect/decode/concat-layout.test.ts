import { describe, expect, it } from 'vitest'
import { sigmoidF32 } from '../../../../src-main/core/detect/decode/float32'
import { decodeOutputs } from '../../../../src-main/core/detect/decode/index'
import type { ModelConfig, RawTensor } from '../../../../src-main/core/detect/types'
import { decodeConfig, frameOf } from './model-config'

/*
 * A 16×16 padded input gives levels P3 2×2 (stride 8) and P4..P7 1×1 (stride 16). With one square
 * anchor per cell of sizes 16, 32, 64, 128, 256 the 8 anchors are:
 *   0: [−8, −8, 8, 8]   1: [0, −8, 16, 8]   2: [−8, 0, 8, 16]   3: [0, 0, 16, 16]     (P3)
 *   4: [−16, −16, 16, 16]   5: ±32   6: ±64   7: ±128                                  (P4..P7)
 * The image was 32×24, resized to 16×12: boxes are clipped to 16×12, then scaled by 2.
 */
const frame = frameOf([32, 24], [16, 12], [16, 16])
const ANCHORS = 8
const CLASSES = 2

function config(postprocess: Partial<ModelConfig['postprocess']> = {}, scores: 'logits' | 'probabilities' = 'logits'): ModelConfig {
  return decodeConfig({
    numClasses: CLASSES,
    output: { layout: 'concat', scores, classOutput: 'cls_logits', boxOutput: 'bbox_regression' },
    anchors: { sizes: [[16], [32], [64], [128], [256]], aspectRatios: [1] },
    postprocess,
  })
}

class Outputs {
  readonly logits: Float32Array
  readonly regression: Float32Array

  constructor(readonly batch = 1, background = -10) {
    this.logits = new Float32Array(batch * ANCHORS * CLASSES).fill(background)
    this.regression = new Float32Array(batch * ANCHORS * 4)
  }

  score(anchor: number, classIndex: number, value: number, image = 0): this {
    this.logits[(image * ANCHORS + anchor) * CLASSES + classIndex] = value
    return this
  }

  deltas(anchor: number, deltas: [number, number, number, number], image = 0): this {
    this.regression.set(deltas, (image * ANCHORS + anchor) * 4)
    return this
  }

  tensors(): Record<string, RawTensor> {
    return {
      cls_logits: { data: this.logits, dims: [this.batch, ANCHORS, CLASSES] },
      bbox_regression: { data: this.regression, dims: [this.batch, ANCHORS, 4] },
    }
  }
}

describe('concat layout', () => {
  it('keeps scores above the threshold, decodes, clips to the resized image and scales to the original', () => {
    const outputs = new Outputs().score(3, 1, 2).deltas(3, [0.25, 0, 0, 0]).score(1, 0, 0)
    expect(decodeOutputs(outputs.tensors(), config(), [frame])).toEqual([
      [
        // anchor 3 moved right by 0.25·16 = 4: [4, 0, 20, 16] → clipped [4, 0, 16, 12] → ×2.
        { classIndex: 1, score: sigmoidF32(2), box: [8, 0, 32, 24] },
        // anchor 1 [0, −8, 16, 8] → clipped [0, 0, 16, 8] → ×2.
        { classIndex: 0, score: 0.5, box: [0, 0, 32, 16] },
      ],
    ])
  })

  it('suppresses overlapping boxes of one class across levels, never across classes', () => {
    // Anchor 3 with dx = 0.25 clips to [4, 0, 16, 12] (area 144), inside anchor 4's clipped [0, 0, 16, 12]
    // (area 192): IoU 0.75, so class 1 on anchor 4 goes; class 0 on anchor 4 has no rival in its class.
    const outputs = new Outputs().score(3, 1, 2).deltas(3, [0.25, 0, 0, 0]).score(4, 1, 1).score(4, 0, 1)
    expect(decodeOutputs(outputs.tensors(), config(), [frame])[0]).toEqual([
      { classIndex: 1, score: sigmoidF32(2), box: [8, 0, 32, 24] },
      { classIndex: 0, score: sigmoidF32(1), box: [0, 0, 32, 24] },
    ])
  })

  it('takes the score threshold strictly: a score equal to it is dropped', () => {
    const outputs = new Outputs().score(3, 1, 2).score(1, 0, 0) // sigmoid(0) = 0.5 exactly
    const detections = decodeOutputs(outputs.tensors(), config({ decodeCutoff: 0.5 }), [frame])[0]!
    expect(detections.map((d) => d.classIndex)).toEqual([1])
  })

  it('keeps only the top k per level before NMS, and maxDetections overall', () => {
    // P3 has three candidates, P4 one; top-1 per level keeps anchor 3 (P3) and anchor 4 (P4).
    const outputs = new Outputs().score(0, 0, 1).score(1, 0, 0.5).score(3, 1, 3).score(4, 0, 2)
    const topOne = decodeOutputs(outputs.tensors(), config({ topKPerLevel: 1 }), [frame])[0]!
    expect(topOne.map((d) => [d.classIndex, d.score])).toEqual([[1, sigmoidF32(3)], [0, sigmoidF32(2)]])
    const best = decodeOutputs(outputs.tensors(), config({ maxDetections: 1 }), [frame])[0]!
    expect(best.map((d) => d.score)).toEqual([sigmoidF32(3)])
  })

  it('decodes each batch item with its own frame', () => {
    const outputs = new Outputs(2).score(3, 1, 2, 0).score(0, 0, 1, 1)
    const second = frameOf([16, 16], [16, 16], [16, 16])
    const [first, other] = decodeOutputs(outputs.tensors(), config(), [frame, second])
    expect(first).toEqual([{ classIndex: 1, score: sigmoidF32(2), box: [0, 0, 32, 24] }])
    expect(other).toEqual([{ classIndex: 0, score: sigmoidF32(1), box: [0, 0, 8, 8] }])
  })

  it('reads probabilities as they are when the graph already applied the sigmoid', () => {
    const outputs = new Outputs(1, 0.01).score(3, 1, 0.75).score(0, 0, 0.05)
    const detections = decodeOutputs(outputs.tensors(), config({}, 'probabilities'), [frame])[0]!
    expect(detections).toEqual([{ classIndex: 1, score: 0.75, box: [0, 0, 32, 24] }])
  })

  it('returns an empty list per image when nothing passes the threshold', () => {
    expect(decodeOutputs(new Outputs(2).tensors(), config(), [frame, frame])).toEqual([[], []])
  })
})

describe('concat layout errors', () => {
  const tensors = (): Record<string, RawTensor> => new Outputs().tensors()

  it('names the anchor count the padded size implies when the tensor has another', () => {
    const outputs = {
      cls_logits: { data: new Float32Array(9 * CLASSES), dims: [1, 9, CLASSES] },
      bbox_regression: { data: new Float32Array(9 * 4), dims: [1, 9, 4] },
    }
    expect(() => decodeOutputs(outputs, config(), [frame])).toThrow(
      "output 'cls_logits' [1, 9, 2] has 9 anchors per image, but a 16×16 padded input gives 8 (P3 2×2, P4 1×1, P5 1×1, P6 1×1, P7 1×1; 1 anchors per cell)",
    )
  })

  it('reports a class count that differs from the config', () => {
    const outputs = { ...tensors(), cls_logits: { data: new Float32Array(ANCHORS * 3), dims: [1, ANCHORS, 3] } }
    expect(() => decodeOutputs(outputs, config(), [frame])).toThrow("output 'cls_logits' has shape [1, 8, 3], expected [?, ?, 2]")
  })

  it('reports a box tensor that does not match the class tensor', () => {
    const outputs = { ...tensors(), bbox_regression: { data: new Float32Array(ANCHORS * 5), dims: [1, ANCHORS, 5] } }
    expect(() => decodeOutputs(outputs, config(), [frame])).toThrow("output 'bbox_regression' has shape [1, 8, 5], expected [1, 8, 4]")
  })

  it('lists the outputs the model has when a configured one is missing', () => {
    const { cls_logits } = tensors()
    expect(() => decodeOutputs({ cls_logits: cls_logits!, boxes: cls_logits! }, config(), [frame])).toThrow(
      "the model has no output named 'bbox_regression' (the box regression); its outputs are: cls_logits, boxes",
    )
  })

  it('refuses data that does not fill the stated shape', () => {
    const outputs = { ...tensors(), cls_logits: { data: new Float32Array(5), dims: [1, ANCHORS, CLASSES] } }
    expect(() => decodeOutputs(outputs, config(), [frame])).toThrow("output 'cls_logits' has 5 values but its shape [1, 8, 2] needs 16")
  })

  it('refuses a batch whose frame count differs, or whose frames differ in padded size', () => {
    expect(() => decodeOutputs(tensors(), config(), [frame, frame])).toThrow("output 'cls_logits' holds a batch of 1 but 2 input frame(s) were given")
    const two = new Outputs(2).tensors()
    expect(() => decodeOutputs(two, config(), [frame, frameOf([32, 32], [32, 32], [32, 32])])).toThrow(/must share the padded size/)
  })

  it('refuses integer class scores', () => {
    const outputs = { ...tensors(), cls_logits: { data: new Int32Array(ANCHORS * CLASSES), dims: [1, ANCHORS, CLASSES] } }
    expect(() => decodeOutputs(outputs, config(), [frame])).toThrow("output 'cls_logits' must hold floating-point values, but holds Int32Array")
  })
})
