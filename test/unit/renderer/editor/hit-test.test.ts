import { describe, expect, it } from 'vitest'
import type { EditorBox } from '../../../../src-renderer/src/editor/editor-types'
import { boxesUnder, nextInStack } from '../../../../src-renderer/src/editor/hit-test'

describe('the boxes under a point', () => {
  const labels: EditorBox[] = [
    { id: 1, classId: 1, box: [0, 0, 100, 100] },
    { id: 2, classId: 1, box: [40, 40, 60, 60] },
    { id: 4, classId: 1, box: [200, 0, 210, 10] },
  ]
  const suggestions: EditorBox[] = [
    { id: 7, classId: 2, box: [45, 45, 55, 55] },
    // Exactly on label 2: same area, the label comes first.
    { id: 8, classId: 2, box: [40, 40, 60, 60] },
  ]

  it('lists labels and suggestions containing the point, smallest first', () => {
    expect(boxesUnder(labels, suggestions, { x: 50, y: 50 }, 0)).toEqual([
      { kind: 'suggestion', id: 7 },
      { kind: 'label', id: 2 },
      { kind: 'suggestion', id: 8 },
      { kind: 'label', id: 1 },
    ])
  })

  it('widens the edges by the tolerance and finds nothing on empty canvas', () => {
    expect(boxesUnder(labels, suggestions, { x: 102, y: 50 }, 3)).toEqual([{ kind: 'label', id: 1 }])
    expect(boxesUnder(labels, suggestions, { x: 150, y: 50 }, 3)).toEqual([])
  })

  it('steps to the next larger box, wrapping, and starts at the smallest when the current one is not there', () => {
    const stack = boxesUnder(labels, suggestions, { x: 50, y: 50 }, 0)
    expect(nextInStack(stack, null)).toEqual({ kind: 'suggestion', id: 7 })
    expect(nextInStack(stack, { kind: 'suggestion', id: 7 })).toEqual({ kind: 'label', id: 2 })
    expect(nextInStack(stack, { kind: 'label', id: 1 })).toEqual({ kind: 'suggestion', id: 7 })
    expect(nextInStack(stack, { kind: 'label', id: 4 })).toEqual({ kind: 'suggestion', id: 7 })
    expect(nextInStack([], null)).toBeUndefined()
  })
})
