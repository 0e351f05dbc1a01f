import { describe, expect, it } from 'vitest'
import { averagePrecision, interpolatedPrecision, matchDetections } from '../../../src-main/core/metrics/average-precision'
import type { EvaluatedImage } from '../../../src-main/core/metrics/types'

const square = (x: number, y: number, size = 10) => [x, y, x + size, y + size] as const

describe('matchDetections', () => {
  it('matches by descending score, each ground-truth box at most once', () => {
    const truth = [square(0, 0)]
    const matches = matchDetections(truth, [{ score: 0.6, box: square(0, 0) }, { score: 0.9, box: square(1, 0) }], 0.5)
    // The higher score comes first and takes the box; the exact duplicate is then a false positive.
    expect(matches).toEqual([{ score: 0.9, matched: true }, { score: 0.6, matched: false }])
  })

  it('gives a detection the unmatched box it overlaps most', () => {
    const truth = [square(0, 0), square(4, 0)]
    const matches = matchDetections(truth, [{ score: 0.9, box: square(4, 0) }, { score: 0.8, box: square(1, 0) }], 0.5)
    expect(matches.map((m) => m.matched)).toEqual([true, true])
  })

  it('counts an IoU equal to the threshold as a match', () => {
    const matches = matchDetections([[0, 0, 10, 10]], [{ score: 1, box: [0, 0, 10, 6] }], 0.6)
    expect(matches[0]!.matched).toBe(true)
  })

  it('keeps only the highest-scoring detections when limited', () => {
    const dets = [0.1, 0.5, 0.3].map((score) => ({ score, box: square(0, 0) }))
    expect(matchDetections([square(0, 0)], dets, 0.5, 2).map((m) => m.score)).toEqual([0.5, 0.3])
  })
})

describe('interpolatedPrecision', () => {
  it('is 1 for a perfect ranking', () => {
    expect(interpolatedPrecision([{ score: 0.9, matched: true }, { score: 0.8, matched: true }], 2)).toBe(1)
  })

  it('interpolates precision from the right and samples 101 recall points', () => {
    // recall 0.5, 0.5, 1; precision 1, 1/2, 2/3 → interpolated 1, 2/3, 2/3.
    // Recalls 0..0.50 (51 points) read precision 1, recalls 0.51..1 (50 points) read 2/3.
    const ap = interpolatedPrecision(
      [{ score: 0.9, matched: true }, { score: 0.8, matched: false }, { score: 0.7, matched: true }],
      2,
    )
    expect(ap).toBeCloseTo((51 + 50 * (2 / 3)) / 101, 12)
  })

  it('reads zero precision beyond the highest recall reached', () => {
    // Half the boxes are found: recalls 0..0.5 read 1, the other 50 points read 0.
    expect(interpolatedPrecision([{ score: 0.9, matched: true }], 2)).toBeCloseTo(51 / 101, 12)
  })

  it('ranks all images together by score', () => {
    // Sorted: TP (0.9), FP (0.8), TP (0.3) — as in the interpolation case above, but from unsorted input.
    const ap = interpolatedPrecision(
      [{ score: 0.3, matched: true }, { score: 0.9, matched: true }, { score: 0.8, matched: false }],
      2,
    )
    expect(ap).toBeCloseTo((51 + 50 * (2 / 3)) / 101, 12)
  })

  it('is 0 when nothing is detected', () => {
    expect(interpolatedPrecision([], 3)).toBe(0)
  })
})

describe('averagePrecision', () => {
  const images: EvaluatedImage[] = [
    {
      groundTruth: [{ classIndex: 0, box: square(0, 0) }, { classIndex: 1, box: square(50, 50) }],
      detections: [
        { classIndex: 0, score: 0.9, box: square(0, 0) },
        { classIndex: 1, score: 0.95, box: square(0, 0) }, // right place, wrong class
      ],
    },
    {
      groundTruth: [{ classIndex: 0, box: square(20, 20) }],
      detections: [{ classIndex: 0, score: 0.8, box: square(40, 40) }],
    },
  ]

  it('matches only detections and boxes of the class asked for', () => {
    // class 0: TP (0.9), FP (0.8) of 2 boxes → recall 0.5 at precision 1: 51 of 101 points.
    expect(averagePrecision(images, 0, 0.5)).toBeCloseTo(51 / 101, 12)
    // class 1: the only detection misses its box.
    expect(averagePrecision(images, 1, 0.5)).toBe(0)
  })

  it('is null for a class without ground truth', () => {
    expect(averagePrecision(images, 4, 0.5)).toBeNull()
  })
})
