import { describe, expect, it } from 'vitest'
import { decodeOutputs } from '../../../../src-main/core/detect/decode/index'
import type { ModelConfig, RawTensor } from '../../../../src-main/core/detect/types'
import { decodeConfig, frameOf } from './model-config'

// The image was 200×100 and went into the graph resized to 100×50 (padded to 128×64).
const frame = frameOf([200, 100], [100, 50], [128, 64])

function endToEnd(boxFrame: 'original' | 'input', postprocess: Partial<ModelConfig['postprocess']> = {}): ModelConfig {
  return decodeConfig({
    output: { layout: 'end-to-end', boxesOutput: 'boxes', scoresOutput: 'scores', labelsOutput: 'labels', boxFrame },
    postprocess,
  })
}

function mmdeploy(boxFrame: 'original' | 'input'): ModelConfig {
  return decodeConfig({ output: { layout: 'mmdeploy', detsOutput: 'dets', labelsOutput: 'labels', boxFrame } })
}

function torchvisionOutputs(): Record<string, RawTensor> {
  return {
    boxes: { data: new Float32Array([10, 10, 20, 20, 0, 0, 50, 25, 30, 5, 40, 15]), dims: [3, 4] },
    scores: { data: new Float32Array([0.5, 0.9, 0.04]), dims: [3] },
    labels: { data: new BigInt64Array([3n, 1n, 2n]), dims: [3] },
  }
}

describe('end-to-end layout', () => {
  it('drops scores at or below the threshold and orders the rest best first', () => {
    expect(decodeOutputs(torchvisionOutputs(), endToEnd('original'), [frame])).toEqual([
      [
        { classIndex: 1, score: Math.fround(0.9), box: [0, 0, 50, 25] },
        { classIndex: 3, score: Math.fround(0.5), box: [10, 10, 20, 20] },
      ],
    ])
  })

  it('scales boxes given in the input frame by original / resized per axis', () => {
    const [detections] = decodeOutputs(torchvisionOutputs(), endToEnd('input'), [frame])
    expect(detections!.map((d) => d.box)).toEqual([[0, 0, 100, 50], [20, 20, 40, 40]])
  })

  it('caps the count at maxDetections and honours a stricter threshold', () => {
    expect(decodeOutputs(torchvisionOutputs(), endToEnd('original', { maxDetections: 1 }), [frame])[0]!.map((d) => d.classIndex)).toEqual([1])
    expect(decodeOutputs(torchvisionOutputs(), endToEnd('original', { decodeCutoff: 0.6 }), [frame])[0]!.map((d) => d.classIndex)).toEqual([1])
  })

  it('accepts a batch axis and int32 labels', () => {
    const outputs: Record<string, RawTensor> = {
      boxes: { data: new Float32Array([0, 0, 10, 10, 5, 5, 6, 6]), dims: [2, 1, 4] },
      scores: { data: new Float32Array([0.7, 0.8]), dims: [2, 1] },
      labels: { data: new Int32Array([4, 0]), dims: [2, 1] },
    }
    expect(decodeOutputs(outputs, endToEnd('original'), [frame, frame])).toEqual([
      [{ classIndex: 4, score: Math.fround(0.7), box: [0, 0, 10, 10] }],
      [{ classIndex: 0, score: Math.fround(0.8), box: [5, 5, 6, 6] }],
    ])
  })

  it('returns nothing for an empty result', () => {
    const outputs: Record<string, RawTensor> = {
      boxes: { data: new Float32Array(0), dims: [0, 4] },
      scores: { data: new Float32Array(0), dims: [0] },
      labels: { data: new BigInt64Array(0), dims: [0] },
    }
    expect(decodeOutputs(outputs, endToEnd('original'), [frame])).toEqual([[]])
  })

  it('reports scores that do not match the boxes', () => {
    const outputs = { ...torchvisionOutputs(), scores: { data: new Float32Array(2), dims: [2] } }
    expect(() => decodeOutputs(outputs, endToEnd('original'), [frame])).toThrow("output 'scores' has shape [2], expected [3] (one score per box of 'boxes')")
  })
})

describe('mmdeploy layout', () => {
  const outputs = (): Record<string, RawTensor> => ({
    // x1, y1, x2, y2, score; the last row is padding with score 0.
    dets: { data: new Float32Array([10, 5, 30, 25, 0.3, 0, 0, 100, 50, 0.8, 0, 0, 0, 0, 0]), dims: [1, 3, 5] },
    labels: { data: new BigInt64Array([2n, 0n, 0n]), dims: [1, 3] },
  })

  it('reads score from the fifth column, drops padding and scales from the input frame', () => {
    expect(decodeOutputs(outputs(), mmdeploy('input'), [frame])).toEqual([
      [
        { classIndex: 0, score: Math.fround(0.8), box: [0, 0, 200, 100] },
        { classIndex: 2, score: Math.fround(0.3), box: [20, 10, 60, 50] },
      ],
    ])
  })

  it('reports dets without the score column', () => {
    const bad = { ...outputs(), dets: { data: new Float32Array(12), dims: [1, 3, 4] } }
    expect(() => decodeOutputs(bad, mmdeploy('input'), [frame])).toThrow(
      "output 'dets' has shape [1, 3, 4], expected [?, ?, 5] ([batch, boxes, 5] = x1, y1, x2, y2, score)",
    )
  })

  it('reports labels that do not match dets', () => {
    const bad = { ...outputs(), labels: { data: new BigInt64Array(2), dims: [1, 2] } }
    expect(() => decodeOutputs(bad, mmdeploy('original'), [frame])).toThrow("output 'labels' has shape [1, 2], expected [1, 3]")
  })
})
