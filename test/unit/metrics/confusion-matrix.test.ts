import { describe, expect, it } from 'vitest'
import { evaluateCoco } from '../../../src-main/core/metrics/coco-evaluation'
import { confusionMatrix } from '../../../src-main/core/metrics/confusion-matrix'
import { evaluationInputFromImages } from '../../../src-main/core/metrics/evaluation-input'
import { operatingPoints } from '../../../src-main/core/metrics/precision-recall'
import type { EvaluatedImage } from '../../../src-main/core/metrics/types'

const square = (x: number, y: number) => [x, y, x + 10, y + 10] as [number, number, number, number]

describe('confusionMatrix', () => {
  // Classes 0 and 1; row/column 2 is background (rows) and missed (columns).
  const images: EvaluatedImage[] = [
    {
      groundTruth: [
        { classIndex: 0, box: square(0, 0) }, // found by its class
        { classIndex: 0, box: square(20, 0) }, // detected as class 1: a confusion
        { classIndex: 1, box: square(40, 0) }, // missed
        { classIndex: 1, box: [100, 100, 300, 300], crowd: true }, // crowd: left out, with what it absorbs
      ],
      detections: [
        { classIndex: 0, score: 0.9, box: square(0, 0) },
        { classIndex: 1, score: 0.8, box: square(21, 0) },
        { classIndex: 1, score: 0.7, box: square(60, 60) }, // background
        { classIndex: 1, score: 0.6, box: [120, 120, 140, 140] }, // inside the crowd region
        { classIndex: 0, score: 0.2, box: square(40, 0) }, // below the threshold: not counted
      ],
    },
    { groundTruth: [], detections: [{ classIndex: 0, score: 0.95, box: square(5, 5) }] }, // background
  ]
  const evaluation = evaluateCoco(evaluationInputFromImages(images, 2))

  it('puts matches on the diagonal, class confusions off it, and background and missed boxes in the extra row and column', () => {
    const matrix = confusionMatrix(evaluation, 0.5)
    expect(matrix.counts).toEqual([
      [1, 1, 0],
      [0, 0, 1],
      [1, 1, 0],
    ])
    expect(matrix.images[2]![0]).toEqual([1])
    expect(matrix.images[0]![1]).toEqual([0])
    expect(matrix.iouThreshold).toBe(0.5)
  })

  it('counts a lower threshold’s extra detections', () => {
    // At 0.1 the class-0 detection on the class-1 box is a confusion instead of a miss.
    expect(confusionMatrix(evaluation, 0.1).counts).toEqual([
      [1, 1, 0],
      [1, 0, 0],
      [1, 1, 0],
    ])
  })

  it('has the operating point’s true positives on its diagonal', () => {
    const truePositives = operatingPoints(evaluation, 0.5).perCategory.map((point) => point.truePositives)
    expect(confusionMatrix(evaluation, 0.5).counts.slice(0, 2).map((row, k) => row[k])).toEqual(truePositives)
  })

  it('is all zeros when there is nothing to count', () => {
    const empty = confusionMatrix(evaluateCoco(evaluationInputFromImages([{ groundTruth: [], detections: [] }], 1)), 0.5)
    expect(empty.counts).toEqual([
      [0, 0],
      [0, 0],
    ])
  })
})
