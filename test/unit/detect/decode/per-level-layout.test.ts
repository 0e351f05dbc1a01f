import { describe, expect, it } from 'vitest'
import { decodeOutputs } from '../../../../src-main/core/detect/decode/index'
import type { ModelConfig, RawTensor } from '../../../../src-main/core/detect/types'
import { decodeConfig, frameOf } from './model-config'

/*
 * Two levels of a 16×16 padded input: P3 2×2 (stride 8), P4 1×1 (stride 16). Two anchors per cell,
 * ratio-major with ratios (1, 4): a = 0 is square, a = 1 is 4× taller than wide (w = s/2, h = 2s).
 *   P3 cell anchors: a0 [−8, −8, 8, 8], a1 [−4, −16, 4, 16];  P4: a0 [−16, −16, 16, 16], a1 [−8, −32, 8, 32].
 * Class maps [1, A·K = 4, H, W] (channel a·K + k), box maps [1, A·4 = 8, H, W] (channel a·4 + j).
 */
const frame = frameOf([16, 16], [16, 16], [16, 16])
const CLASSES = 2
const SHAPES: Array<[number, number]> = [[2, 2], [1, 1]]

function config(output: Partial<Extract<ModelConfig['output'], { layout: 'per-level' }>> = {}): ModelConfig {
  return decodeConfig({
    numClasses: CLASSES,
    output: { layout: 'per-level', scores: 'probabilities', classOutputs: ['cls_p3', 'cls_p4'], boxOutputs: ['box_p3', 'box_p4'], ...output },
    anchors: { sizes: [[16], [32]], aspectRatios: [1, 4] },
  })
}

class Maps {
  readonly classes = SHAPES.map(([h, w]) => new Float32Array(4 * h * w).fill(0.01))
  readonly boxes = SHAPES.map(([h, w]) => new Float32Array(8 * h * w))

  score(level: number, anchor: number, classIndex: number, y: number, x: number, value: number): this {
    const [h, w] = SHAPES[level]!
    this.classes[level]![((anchor * CLASSES + classIndex) * h + y) * w + x] = value
    return this
  }

  delta(level: number, anchor: number, j: number, y: number, x: number, value: number): this {
    const [h, w] = SHAPES[level]!
    this.boxes[level]![((anchor * 4 + j) * h + y) * w + x] = value
    return this
  }

  tensors(names = ['cls_p3', 'cls_p4', 'box_p3', 'box_p4']): Record<string, RawTensor> {
    const tensors: Record<string, RawTensor> = {}
    SHAPES.forEach(([h, w], level) => {
      tensors[names[level]!] = { data: this.classes[level]!, dims: [1, 4, h, w] }
    })
    SHAPES.forEach(([h, w], level) => {
      tensors[names[2 + level]!] = { data: this.boxes[level]!, dims: [1, 8, h, w] }
    })
    return tensors
  }
}

// P3, a = 1, class 0 at (x 0, y 1): anchor [−4, −16, 4, 16] + (0, 8) = [−4, −8, 4, 24], centre y 8, height 32;
// dh = ln ½ halves the height → [−4, 0, 4, 16] → clipped [0, 0, 4, 16].
// P4, a = 0, class 1: [−16, −16, 16, 16] → clipped [0, 0, 16, 16].
const maps = (): Maps => new Maps().score(0, 1, 0, 1, 0, 0.9).delta(0, 1, 3, 1, 0, Math.log(0.5)).score(1, 0, 1, 0, 0, 0.6)
const expected = [
  { classIndex: 0, score: Math.fround(0.9), box: [0, 0, 4, 16] },
  { classIndex: 1, score: Math.fround(0.6), box: [0, 0, 16, 16] },
]

describe('per-level layout', () => {
  it('finds scores by channel a·K + k and deltas by channel a·4 + j, cell by cell', () => {
    expect(decodeOutputs(maps().tensors(), config(), [frame])).toEqual([expected])
  })

  it('takes the graph’s output order (class maps, then box maps) when no names are configured', () => {
    const tensors = maps().tensors(['output1', 'output2', 'output3', 'output4'])
    expect(decodeOutputs(tensors, config({ classOutputs: [], boxOutputs: [] }), [frame])).toEqual([expected])
  })

  it('applies the sigmoid to logit maps', () => {
    const logits = new Maps()
    for (const map of logits.classes) map.fill(-10)
    logits.score(1, 1, 0, 0, 0, 0) // sigmoid(0) = 0.5; P4 a1 [−8, −32, 8, 32] → clipped [0, 0, 8, 16]
    expect(decodeOutputs(logits.tensors(), config({ scores: 'logits' }), [frame])).toEqual([
      [{ classIndex: 0, score: 0.5, box: [0, 0, 8, 16] }],
    ])
  })

  it('follows ODTK’s conventions: centred anchors, "+1" widths, clipping to size − 1', () => {
    const odtk = decodeConfig({
      numClasses: CLASSES,
      output: { layout: 'per-level', scores: 'probabilities', classOutputs: ['cls_p3', 'cls_p4'], boxOutputs: ['box_p3', 'box_p4'] },
      anchors: { sizes: [[16], [32]], aspectRatios: [1, 4], order: 'scale-major', rounding: 'none', offset: 0.5 },
      boxCoder: { clamp: 'none', plusOne: true },
      postprocess: { nmsPlusOne: true },
    })
    // P3 cell (x 1, y 1), a = 0: [−8, −8, 8, 8] + 4 (half a stride) + (8, 8) = [4, 4, 20, 20]; width 16 + 1 = 17,
    // centre 4 + 8.5 = 12.5; zero deltas give [12.5 − 8.5, …, 12.5 + 8.5 − 1] = [4, 4, 20, 20], clipped to 15.
    const outputs = new Maps().score(0, 0, 1, 1, 1, 0.7)
    expect(decodeOutputs(outputs.tensors(), odtk, [frame])).toEqual([[{ classIndex: 1, score: Math.fround(0.7), box: [4, 4, 15, 15] }]])
  })

  it('returns no results for an empty batch', () => {
    const empty: Record<string, RawTensor> = {}
    for (const [name, channels] of [['cls_p3', 4], ['cls_p4', 4], ['box_p3', 8], ['box_p4', 8]] as const) {
      empty[name] = { data: new Float32Array(0), dims: [0, channels, 1, 1] }
    }
    expect(decodeOutputs(empty, config(), [])).toEqual([])
  })

  it('derives strides from the map sizes: padded size // feature size', () => {
    // On a 48×48 padded input, a 3×3 P3 map has stride 16: cell (x 2, y 1) of a0 is [−8, −8, 8, 8] + (32, 16).
    const big = frameOf([48, 48], [48, 48], [48, 48])
    const tensors: Record<string, RawTensor> = {
      cls_p3: { data: new Float32Array(4 * 9), dims: [1, 4, 3, 3] },
      cls_p4: { data: new Float32Array(4), dims: [1, 4, 1, 1] },
      box_p3: { data: new Float32Array(8 * 9), dims: [1, 8, 3, 3] },
      box_p4: { data: new Float32Array(8), dims: [1, 8, 1, 1] },
    }
    ;(tensors.cls_p3!.data as Float32Array)[(0 * 3 + 1) * 3 + 2] = 0.8
    expect(decodeOutputs(tensors, config(), [big])[0]).toEqual([{ classIndex: 0, score: Math.fround(0.8), box: [24, 8, 40, 24] }])
  })
})

describe('per-level layout errors', () => {
  it('reports a class map whose channels are not anchors × classes', () => {
    const tensors = maps().tensors()
    tensors.cls_p4 = { data: new Float32Array(6), dims: [1, 6, 1, 1] }
    expect(() => decodeOutputs(tensors, config(), [frame])).toThrow(
      "output 'cls_p4' has shape [1, 6, 1, 1], expected [1, 4, ?, ?] (P4 class map [batch, 2 anchors × 2 classes, height, width])",
    )
  })

  it('reports a box map whose size differs from its class map', () => {
    const tensors = maps().tensors()
    tensors.box_p3 = { data: new Float32Array(8), dims: [1, 8, 1, 1] }
    expect(() => decodeOutputs(tensors, config(), [frame])).toThrow("output 'box_p3' has shape [1, 8, 1, 1], expected [1, 8, 2, 2]")
  })

  it('asks for one name per level', () => {
    expect(() => decodeOutputs(maps().tensors(), config({ classOutputs: ['cls_p3'] }), [frame])).toThrow(
      'output.classOutputs and output.boxOutputs must each name 2 maps (one per level, as anchors.sizes has), got 1 and 2',
    )
  })

  it('needs enough outputs when taking them in graph order', () => {
    const { cls_p3, box_p3 } = maps().tensors()
    expect(() => decodeOutputs({ cls_p3: cls_p3!, box_p3: box_p3! }, config({ classOutputs: [], boxOutputs: [] }), [frame])).toThrow(
      'the per-level layout needs 2 class maps and 2 box maps, but the model has 2 outputs: cls_p3, box_p3',
    )
  })
})
