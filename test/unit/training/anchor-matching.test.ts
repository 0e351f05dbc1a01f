import { describe, expect, it } from 'vitest'
import { BACKGROUND, boxIou, IGNORED, matchAnchors } from '../../../src-main/core/training/anchor-matching'

const boxes = (...rows: number[][]): Float32Array => new Float32Array(rows.flat())

describe('anchor matching', () => {
  it('computes IoU without a +1 and 0 for boxes that only touch', () => {
    const a = boxes([0, 0, 10, 10])
    expect(boxIou(a, 0, boxes([5, 0, 15, 10]), 0)).toBeCloseTo(50 / 150, 12)
    expect(boxIou(a, 0, boxes([10, 0, 20, 10]), 0)).toBe(0)
    expect(boxIou(a, 0, a, 0)).toBe(1)
  })

  it('marks foreground at IoU ≥ 0.5, ignores [0.4, 0.5) and leaves the rest background', () => {
    const truth = boxes([0, 0, 10, 10])
    const anchors = boxes(
      [0, 0, 10, 10], // IoU 1
      [0, 0, 10, 20], // IoU 0.5: foreground at the threshold
      [0, 0, 10, 24], // IoU 10/24 ≈ 0.417: ignored
      [0, 0, 10, 26], // IoU 10/26 ≈ 0.385: background
      [50, 50, 60, 60], // no overlap
    )
    expect(Array.from(matchAnchors(anchors, truth))).toEqual([0, 0, IGNORED, BACKGROUND, BACKGROUND])
  })

  it('gives each anchor the box it overlaps most, the first one on ties', () => {
    const truth = boxes([0, 0, 10, 10], [5, 0, 15, 10], [0, 0, 10, 10])
    const anchors = boxes([0, 0, 10, 10], [5, 0, 15, 10], [3, 0, 13, 10])
    expect(Array.from(matchAnchors(anchors, truth))).toEqual([0, 1, 1])
  })

  it('rescues the best anchors of a box no anchor reaches 0.5 with, ties included, with their own best box', () => {
    // A small box whose best anchors overlap it at 1/4 only: both tie and both become foreground.
    const truth = boxes([0, 0, 10, 10])
    const anchors = boxes([0, 0, 20, 20], [-10, -10, 10, 10], [0, 0, 40, 40])
    expect(Array.from(matchAnchors(anchors, truth))).toEqual([0, 0, BACKGROUND])
  })

  it('does not rescue anything for a box that no anchor touches', () => {
    const truth = boxes([100, 100, 110, 110])
    const anchors = boxes([0, 0, 10, 10], [20, 20, 30, 30])
    expect(Array.from(matchAnchors(anchors, truth))).toEqual([BACKGROUND, BACKGROUND])
  })

  it('makes every anchor background when the image has no boxes (a reviewed negative)', () => {
    expect(Array.from(matchAnchors(boxes([0, 0, 10, 10], [5, 5, 9, 9]), new Float32Array(0)))).toEqual([BACKGROUND, BACKGROUND])
  })
})
