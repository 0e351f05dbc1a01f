import { describe, expect, it } from 'vitest'
import { evaluateCoco } from '../../../src-main/core/metrics/coco-evaluation'
import { evaluationInputFromImages } from '../../../src-main/core/metrics/evaluation-input'
import { suggestThresholds } from '../../../src-main/core/metrics/threshold-suggestions'
import type { EvaluatedImage } from '../../../src-main/core/metrics/types'

const square = (x: number) => [x, 0, x + 10, 10] as [number, number, number, number]

describe('suggestThresholds', () => {
  // Four boxes of class 0. Ranked: TP 0.9, TP 0.8, FP 0.7, TP 0.6, FP 0.5, FP 0.5, TP 0.4.
  const images: EvaluatedImage[] = [
    {
      groundTruth: [0, 20, 40, 60].map((x) => ({ classIndex: 0, box: square(x) })),
      detections: [
        { classIndex: 0, score: 0.9, box: square(0) },
        { classIndex: 0, score: 0.8, box: square(20) },
        { classIndex: 0, score: 0.7, box: square(200) },
        { classIndex: 0, score: 0.6, box: square(40) },
        { classIndex: 0, score: 0.5, box: square(220) },
        { classIndex: 0, score: 0.5, box: square(240) },
        { classIndex: 0, score: 0.4, box: square(60) },
      ],
    },
  ]
  const [suggestion, withoutTruth] = suggestThresholds(evaluateCoco(evaluationInputFromImages(images, 2)), 0.75)

  it('suggests the cut with the best F1', () => {
    // Cuts: 0.9 F1 0.4, 0.8 F1 0.667, 0.7 F1 0.571, 0.6 F1 0.75, 0.5 F1 0.6, 0.4 F1 0.667.
    expect(suggestion!.bestF1).toEqual({ score: 0.6, precision: 0.75, recall: 0.75, f1: expect.closeTo(0.75, 12) })
  })

  it('suggests the lowest cut that keeps the target precision, taking equal scores together', () => {
    expect(suggestion!.forPrecision).toMatchObject({ score: 0.6, precision: 0.75, recall: 0.75 })
    const strict = suggestThresholds(evaluateCoco(evaluationInputFromImages(images, 1)), 1)[0]!
    expect(strict.forPrecision).toMatchObject({ score: 0.8, precision: 1, recall: 0.5 })
  })

  it('suggests nothing for a class without ground truth', () => {
    expect(withoutTruth).toEqual({ category: 1, bestF1: null, forPrecision: null, targetPrecision: 0.75 })
  })
})
