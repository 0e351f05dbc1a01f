import { describe, expect, it } from 'vitest'
import { resizeBox } from '../../../../src-renderer/src/editor/box-resize'
import { boxAt, handleAt } from '../../../../src-renderer/src/editor/hit-test'

const frame = { width: 100, height: 100 }

describe('resizeBox', () => {
  it('moves only the dragged side, the opposite one stays', () => {
    expect(resizeBox([10, 10, 50, 30], 'e', 20, 99, { keepAspect: false, frame })).toEqual([10, 10, 70, 30])
    expect(resizeBox([10, 10, 50, 30], 'nw', -5, -5, { keepAspect: false, frame })).toEqual([5, 5, 50, 30])
  })

  it('stops at the image edge and at the minimum size, never inside out', () => {
    expect(resizeBox([10, 10, 50, 30], 'se', 500, 500, { keepAspect: false, frame })).toEqual([10, 10, 100, 100])
    expect(resizeBox([10, 10, 50, 30], 'w', 500, 0, { keepAspect: false, frame })).toEqual([48, 10, 50, 30])
  })

  it('keeps the aspect ratio with Shift, within the frame', () => {
    const [x1, y1, x2, y2] = resizeBox([10, 10, 50, 30], 'se', 40, 0, { keepAspect: true, frame })
    expect([x1, y1]).toEqual([10, 10])
    expect((x2 - x1) / (y2 - y1)).toBeCloseTo(2, 9)
    expect(x2 - x1).toBe(80)
    const clamped = resizeBox([10, 10, 50, 30], 'se', 500, 0, { keepAspect: true, frame })
    expect(clamped[2]).toBeLessThanOrEqual(100)
    expect((clamped[2] - clamped[0]) / (clamped[3] - clamped[1])).toBeCloseTo(2, 9)
  })
})

describe('hit testing', () => {
  const boxes = [
    { id: 1, classId: 1, box: [0, 0, 100, 100] as [number, number, number, number] },
    { id: 2, classId: 1, box: [40, 40, 60, 60] as [number, number, number, number] },
  ]

  it('prefers the smallest box under the point, so nested boxes stay reachable', () => {
    expect(boxAt(boxes, { x: 50, y: 50 }, 0)?.id).toBe(2)
    expect(boxAt(boxes, { x: 10, y: 10 }, 0)?.id).toBe(1)
    expect(boxAt(boxes, { x: 150, y: 10 }, 0)).toBeNull()
  })

  it('prefers a selected box over a smaller one', () => {
    expect(boxAt(boxes, { x: 50, y: 50 }, 0, new Set([1]))?.id).toBe(1)
  })

  it('finds corner handles before edge handles', () => {
    expect(handleAt([0, 0, 10, 10], { x: 9, y: 9 }, 3)).toBe('se')
    expect(handleAt([0, 0, 100, 100], { x: 50, y: 1 }, 3)).toBe('n')
    expect(handleAt([0, 0, 100, 100], { x: 50, y: 50 }, 3)).toBeNull()
  })
})
