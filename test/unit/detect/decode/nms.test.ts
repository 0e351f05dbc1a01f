import { describe, expect, it } from 'vitest'
import { batchedNms } from '../../../../src-main/core/detect/decode/nms'

interface Candidate {
  box: [number, number, number, number]
  score: number
  label: number
}

function nms(candidates: Candidate[], options: Partial<{ iouThreshold: number; plusOne: boolean; maxKeep: number }> = {}): number[] {
  const boxes = new Float32Array(candidates.flatMap((c) => c.box))
  const scores = new Float32Array(candidates.map((c) => c.score))
  const labels = new Int32Array(candidates.map((c) => c.label))
  return Array.from(batchedNms(boxes, scores, labels, candidates.length, { iouThreshold: 0.5, plusOne: false, maxKeep: 300, ...options }))
}

describe('batchedNms', () => {
  it('keeps nothing from nothing', () => {
    expect(nms([])).toEqual([])
  })

  it('returns survivors best first, not in input order', () => {
    expect(nms([
      { box: [0, 0, 10, 10], score: 0.2, label: 0 },
      { box: [20, 20, 30, 30], score: 0.9, label: 0 },
      { box: [40, 40, 50, 50], score: 0.5, label: 0 },
    ])).toEqual([1, 2, 0])
  })

  it('lets the best box suppress everything that overlaps it in its class', () => {
    expect(nms([
      { box: [0, 0, 10, 10], score: 0.6, label: 3 },
      { box: [1, 1, 10, 10], score: 0.9, label: 3 },
      { box: [0, 0, 11, 11], score: 0.7, label: 3 },
    ])).toEqual([1])
  })

  it('never lets different classes suppress each other', () => {
    expect(nms([
      { box: [0, 0, 10, 10], score: 0.9, label: 0 },
      { box: [0, 0, 10, 10], score: 0.8, label: 1 },
      { box: [0, 0, 10, 10], score: 0.7, label: 2 },
    ])).toEqual([0, 1, 2])
  })

  it('on equal scores keeps the earlier candidate, as torchvision’s stable sort does', () => {
    expect(nms([
      { box: [5, 5, 15, 15], score: 0.3, label: 0 },
      { box: [0, 0, 10, 10], score: 0.5, label: 0 },
      { box: [0, 0, 10, 10], score: 0.5, label: 0 },
    ])).toEqual([1, 0])
    // Unrelated equal-score survivors stay in candidate order.
    expect(nms([
      { box: [0, 0, 1, 1], score: 0.5, label: 1 },
      { box: [5, 5, 6, 6], score: 0.5, label: 0 },
    ])).toEqual([0, 1])
  })

  it('suppresses only strictly above the IoU threshold', () => {
    // [0,0,4,1] and [0,0,2,1]: intersection 2, union 4, IoU exactly 0.5.
    const pair: Candidate[] = [
      { box: [0, 0, 4, 1], score: 0.9, label: 0 },
      { box: [0, 0, 2, 1], score: 0.8, label: 0 },
    ]
    expect(nms(pair, { iouThreshold: 0.5 })).toEqual([0, 1])
    expect(nms(pair, { iouThreshold: 0.49 })).toEqual([0])
  })

  it('adds one pixel to widths, heights and areas under the "+1" convention', () => {
    // Without +1: [0,0,2,1] vs [1,0,3,1] → 1 / 3. With +1: inter 2·2 = 4, areas 3·2 = 6 each → 4 / 8 = 0.5.
    const pair: Candidate[] = [
      { box: [0, 0, 2, 1], score: 0.9, label: 0 },
      { box: [1, 0, 3, 1], score: 0.8, label: 0 },
    ]
    expect(nms(pair, { iouThreshold: 0.4 })).toEqual([0, 1])
    expect(nms(pair, { iouThreshold: 0.4, plusOne: true })).toEqual([0])
    expect(nms(pair, { iouThreshold: 0.5, plusOne: true })).toEqual([0, 1])
  })

  it('keeps at most maxKeep, the best ones', () => {
    const spread: Candidate[] = [0.1, 0.4, 0.3, 0.2].map((score, i) => ({ box: [i * 10, 0, i * 10 + 5, 5], score, label: i % 2 }))
    expect(nms(spread, { maxKeep: 2 })).toEqual([1, 2])
    expect(nms(spread, { maxKeep: 0 })).toEqual([])
  })

  it('does not let a suppressed box suppress others (greedy, not transitive)', () => {
    // A (best) suppresses B; B would suppress C, but C overlaps A too little, so C survives.
    expect(nms([
      { box: [0, 0, 10, 10], score: 0.9, label: 0 },
      { box: [3, 0, 13, 10], score: 0.8, label: 0 },
      { box: [6, 0, 16, 10], score: 0.7, label: 0 },
    ])).toEqual([0, 2])
  })

  it('keeps zero-area boxes (IoU 0/0 is not above the threshold)', () => {
    expect(nms([
      { box: [5, 5, 5, 5], score: 0.9, label: 0 },
      { box: [5, 5, 5, 5], score: 0.8, label: 0 },
    ])).toEqual([0, 1])
  })
})
