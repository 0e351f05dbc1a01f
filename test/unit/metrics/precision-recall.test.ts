import { describe, expect, it } from 'vitest'
import { evaluateCoco } from '../../../src-main/core/metrics/coco-evaluation'
import { evaluationInputFromImages } from '../../../src-main/core/metrics/evaluation-input'
import { operatingPoints, precisionRecall } from '../../../src-main/core/metrics/precision-recall'
import type { EvaluatedImage } from '../../../src-main/core/metrics/types'

describe('precisionRecall', () => {
  const images: EvaluatedImage[] = [
    {
      groundTruth: [{ classIndex: 0, box: [0, 0, 10, 10] }, { classIndex: 1, box: [20, 0, 30, 10] }],
      detections: [
        { classIndex: 0, score: 0.9, box: [0, 0, 10, 10] }, // TP
        { classIndex: 0, score: 0.8, box: [0, 0, 10, 10] }, // duplicate: FP
        { classIndex: 0, score: 0.3, box: [20, 0, 30, 10] }, // below the score threshold: ignored
      ],
    },
    { groundTruth: [], detections: [{ classIndex: 2, score: 0.7, box: [0, 0, 5, 5] }] }, // FP
  ]

  it('counts matches of the same class above the score threshold', () => {
    expect(precisionRecall(images, 0.5, 0.5)).toEqual({
      truePositives: 1,
      falsePositives: 2,
      falseNegatives: 1,
      precision: 1 / 3,
      recall: 1 / 2,
    })
  })

  it('does not let a detection of another class find a box', () => {
    const point = precisionRecall([{ groundTruth: [{ classIndex: 1, box: [0, 0, 10, 10] }], detections: [{ classIndex: 0, score: 1, box: [0, 0, 10, 10] }] }], 0.5, 0.5)
    expect(point).toMatchObject({ truePositives: 0, falsePositives: 1, falseNegatives: 1 })
  })

  it('reports precision and recall of 1 when there is nothing to get wrong', () => {
    expect(precisionRecall([{ groundTruth: [], detections: [] }], 0.5, 0.5)).toMatchObject({ precision: 1, recall: 1 })
  })
})

describe('operatingPoints', () => {
  it('gives each class its own point and leaves detections on crowd regions out', () => {
    const images: EvaluatedImage[] = [
      {
        groundTruth: [
          { classIndex: 0, box: [0, 0, 10, 10] },
          { classIndex: 1, box: [0, 0, 100, 100], crowd: true },
        ],
        detections: [
          { classIndex: 0, score: 0.9, box: [0, 0, 10, 10] },
          { classIndex: 1, score: 0.9, box: [10, 10, 20, 20] }, // inside the crowd: neither TP nor FP
          { classIndex: 1, score: 0.8, box: [200, 200, 210, 210] }, // FP
        ],
      },
    ]
    const { overall, perCategory } = operatingPoints(evaluateCoco(evaluationInputFromImages(images, 2)), 0.5)
    expect(perCategory[0]).toEqual({ truePositives: 1, falsePositives: 0, falseNegatives: 0, precision: 1, recall: 1 })
    expect(perCategory[1]).toEqual({ truePositives: 0, falsePositives: 1, falseNegatives: 0, precision: 0, recall: 1 })
    expect(overall).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 0 })
  })

  it('refuses an IoU threshold COCO does not evaluate', () => {
    const evaluation = evaluateCoco(evaluationInputFromImages([{ groundTruth: [], detections: [] }], 1))
    expect(() => operatingPoints(evaluation, 0.5, 0.42)).toThrow(/not one of COCO's/)
  })
})
