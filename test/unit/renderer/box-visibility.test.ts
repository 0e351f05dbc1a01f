import { describe, expect, it } from 'vitest'
import type { DetectionBox } from '@shared/api/types'
import { visibleDetections, type BoxVisibility } from '../../../src-renderer/src/viewer/box-visibility'

function detection(id: number, classId: number, score: number): DetectionBox {
  return { id, classId, score, box: [0, 0, 10, 10] }
}

const detections = [detection(1, 1, 0.9), detection(2, 1, 0.4), detection(3, 2, 0.6), detection(4, 2, 0.2)]
const showAll: BoxVisibility = { suggestionThreshold: 0, classThresholds: {}, hiddenClassIds: [] }

function visibleIds(visibility: Partial<BoxVisibility>): number[] {
  return visibleDetections(detections, { ...showAll, ...visibility }).map((shown) => shown.id)
}

describe('visibleDetections', () => {
  it('shows every box at threshold 0', () => {
    expect(visibleIds({})).toEqual([1, 2, 3, 4])
  })

  it('keeps scores at or above the global threshold', () => {
    expect(visibleIds({ suggestionThreshold: 0.6 })).toEqual([1, 3])
  })

  it('applies a class threshold only to its class', () => {
    expect(visibleIds({ classThresholds: { 1: 0.5 } })).toEqual([1, 3, 4])
  })

  it('takes the higher of the global and the class threshold, so neither brings back what the other hides', () => {
    expect(visibleIds({ suggestionThreshold: 0.5, classThresholds: { 2: 0.1 } })).toEqual([1, 3])
    expect(visibleIds({ suggestionThreshold: 0.1, classThresholds: { 2: 0.7 } })).toEqual([1, 2])
  })

  it('hides every box of a hidden class whatever its score', () => {
    expect(visibleIds({ hiddenClassIds: [1] })).toEqual([3, 4])
  })
})
