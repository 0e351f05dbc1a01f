import { describe, expect, it } from 'vitest'
import { kthLargest, partitionTopK, sortByValueThenIndex } from '../../../../src-main/core/detect/decode/top-k'

function topK(values: number[], k: number, indices = values.map((_, i) => i)): Array<[number, number]> {
  const valueArray = new Float32Array(values)
  const indexArray = new Int32Array(indices)
  const kept = partitionTopK(valueArray, indexArray, values.length, k, new Float32Array(values.length))
  sortByValueThenIndex(valueArray, indexArray, kept)
  return Array.from({ length: kept }, (_, i) => [valueArray[i]!, indexArray[i]!])
}

/** Deterministic pseudo-random values with many repeats (a small alphabet forces ties). */
function values(count: number, alphabet: number, seed: number): number[] {
  let state = seed
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return (state >>> 8) % alphabet
  })
}

describe('kthLargest', () => {
  it('finds the k-th largest of unsorted, sorted, reversed and constant input', () => {
    for (const input of [[5, 1, 4, 2, 3], [1, 2, 3, 4, 5], [5, 4, 3, 2, 1]]) {
      const array = new Float32Array(input)
      expect([1, 2, 3, 4, 5].map((k) => kthLargest(array, 5, k, new Float32Array(5)))).toEqual([5, 4, 3, 2, 1])
    }
    expect(kthLargest(new Float32Array([7, 7, 7, 7]), 4, 3, new Float32Array(4))).toBe(7)
  })

  it('leaves the input untouched and rejects k outside 1..count', () => {
    const array = new Float32Array([3, 1, 2])
    kthLargest(array, 3, 2, new Float32Array(3))
    expect(Array.from(array)).toEqual([3, 1, 2])
    expect(() => kthLargest(array, 3, 4, new Float32Array(3))).toThrow(/k must be between 1 and 3/)
  })

  it('agrees with sorting on many random inputs with ties', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const input = values(200, 1 + (seed % 20), seed)
      const sorted = [...input].sort((a, b) => b - a)
      const k = 1 + (seed * 37) % 200
      expect(kthLargest(new Float32Array(input), input.length, k, new Float32Array(input.length))).toBe(sorted[k - 1])
    }
  })
})

describe('partitionTopK + sortByValueThenIndex', () => {
  it('keeps everything when there are at most k, sorted by value descending', () => {
    expect(topK([0.2, 0.9, 0.5], 5)).toEqual([[Math.fround(0.9), 1], [Math.fround(0.5), 2], [Math.fround(0.2), 0]])
  })

  it('keeps nothing for k = 0 and nothing from nothing', () => {
    expect(topK([0.2, 0.9], 0)).toEqual([])
    expect(topK([], 3)).toEqual([])
  })

  it('keeps the lowest indices among values tied at the boundary', () => {
    // The top 3 of [1, 5, 3, 5, 3, 3]: both 5s, then the first 3 (index 2).
    expect(topK([1, 5, 3, 5, 3, 3], 3)).toEqual([[5, 1], [5, 3], [3, 2]])
    // Indices need not arrive in order (per-level maps are scanned channel by channel).
    expect(topK([3, 3, 3, 9], 2, [40, 7, 12, 99])).toEqual([[9, 99], [3, 7]])
  })

  it('orders equal values by index ascending', () => {
    expect(topK([2, 2, 2], 3, [5, 1, 3])).toEqual([[2, 1], [2, 3], [2, 5]])
  })

  it('agrees with a full stable sort on many random inputs with ties', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const input = values(300, 1 + (seed % 15), seed)
      const k = 1 + (seed * 53) % 320
      const expected = input
        .map((value, index): [number, number] => [value, index])
        .sort((a, b) => b[0] - a[0] || a[1] - b[1])
        .slice(0, k)
      expect(topK(input, k)).toEqual(expected)
    }
  })
})
