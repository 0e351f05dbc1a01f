import { describe, expect, it } from 'vitest'
import { boxIou } from '../../../src-main/core/metrics/box-iou'

describe('boxIou', () => {
  it('is intersection over union of the areas', () => {
    // overlap 5×10 = 50, union 100 + 100 − 50 = 150
    expect(boxIou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(1 / 3, 12)
  })

  it('is 1 for identical boxes and 0 for disjoint or merely touching ones', () => {
    expect(boxIou([2, 3, 7, 9], [2, 3, 7, 9])).toBe(1)
    expect(boxIou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0)
    expect(boxIou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0)
  })

  it('is the area ratio when one box contains the other', () => {
    expect(boxIou([0, 0, 10, 10], [0, 0, 10, 6])).toBe(0.6)
  })

  it('is 0 for empty boxes rather than NaN', () => {
    expect(boxIou([5, 5, 5, 5], [5, 5, 5, 5])).toBe(0)
  })
})
