import { describe, expect, it } from 'vitest'
import {
  boxArea,
  boxFromColumns,
  boxFromCorners,
  boxIou,
  clipBox,
  fromNormalizedCxcywh,
  fromXywh,
  isInsideFrame,
  isValidBox,
  moveSideWithinFrame,
  toNormalizedCxcywh,
  toXywh,
  translateWithinFrame,
} from '../../../src-shared/geometry/box'

const frame = { width: 100, height: 50 }

describe('box geometry', () => {
  it('reads a box from its database columns, whatever else the row holds', () => {
    const row = { id: 7, classId: 2, x1: 1, y1: 2, x2: 3, y2: 4 }
    expect(boxFromColumns(row)).toEqual([1, 2, 3, 4])
  })

  it('converts between corners and COCO xywh', () => {
    expect(toXywh([10, 5, 30, 25])).toEqual([10, 5, 20, 20])
    expect(fromXywh([10, 5, 20, 20])).toEqual([10, 5, 30, 25])
  })

  it('computes area and IoU, with 0 for disjoint or empty boxes', () => {
    expect(boxArea([0, 0, 10, 4])).toBe(40)
    expect(boxIou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150)
    expect(boxIou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0)
    expect(boxIou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0)
  })

  it('orders corners from a drag in any direction', () => {
    expect(boxFromCorners(30, 40, 10, 5)).toEqual([10, 5, 30, 40])
  })

  it('rejects non-finite or inverted boxes', () => {
    expect(isValidBox([0, 0, 1, 1])).toBe(true)
    expect(isValidBox([0, 0, Number.NaN, 1])).toBe(false)
    expect(isValidBox([2, 0, 1, 1])).toBe(false)
  })

  it('clips to the frame, and tells whether a box is inside it', () => {
    expect(clipBox([-5, -5, 120, 20], frame)).toEqual([0, 0, 100, 20])
    expect(isInsideFrame([0, 0, 100, 50], frame)).toBe(true)
    expect(isInsideFrame([0, 0, 100.5, 50], frame)).toBe(false)
  })

  it('moves a box but keeps its size at the frame edge', () => {
    expect(translateWithinFrame([10, 10, 30, 20], 100, -100, frame)).toEqual([80, 0, 100, 10])
    expect(translateWithinFrame([10, 10, 30, 20], 5, 5, frame)).toEqual([15, 15, 35, 25])
  })

  it('moves one side out or in, stopping at the frame and at the minimum size', () => {
    expect(moveSideWithinFrame([10, 10, 30, 20], 'right', 5, frame)).toEqual([10, 10, 35, 20])
    expect(moveSideWithinFrame([10, 10, 30, 20], 'left', 5, frame)).toEqual([5, 10, 30, 20])
    expect(moveSideWithinFrame([10, 10, 30, 20], 'top', -3, frame)).toEqual([10, 13, 30, 20])
    expect(moveSideWithinFrame([10, 10, 30, 20], 'bottom', 100, frame)).toEqual([10, 10, 30, 50])
    expect(moveSideWithinFrame([10, 10, 30, 20], 'left', 100, frame)).toEqual([0, 10, 30, 20])
    expect(moveSideWithinFrame([10, 10, 30, 20], 'right', -100, frame)).toEqual([10, 10, 11, 20])
    expect(moveSideWithinFrame([10, 10, 30, 20], 'top', -100, frame)).toEqual([10, 19, 30, 20])
  })

  it('round-trips YOLO normalized centre form', () => {
    const normalized = toNormalizedCxcywh([10, 10, 30, 20], frame)
    expect(normalized).toEqual([0.2, 0.3, 0.2, 0.2])
    const back = fromNormalizedCxcywh(normalized, frame)
    back.forEach((value, index) => expect(value).toBeCloseTo([10, 10, 30, 20][index]!, 9))
  })
})
