import { describe, expect, it } from 'vitest'
import { IOU_THRESHOLDS, RECALL_THRESHOLDS } from '../../../src-main/core/metrics/coco-parameters'
import { summarizeCoco } from '../../../src-main/core/metrics/coco-summary'
import type { EvaluatedImage } from '../../../src-main/core/metrics/types'

describe('summarizeCoco', () => {
  it('uses the thresholds of numpy.linspace, bit for bit as pycocotools does', () => {
    expect(IOU_THRESHOLDS).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95])
    expect(RECALL_THRESHOLDS).toHaveLength(101)
    expect(RECALL_THRESHOLDS[3]).toBe(0.03)
    expect(RECALL_THRESHOLDS[100]).toBe(1)
  })

  it('averages AP over thresholds, counting a match only where the IoU reaches the threshold', () => {
    // Class 0: a detection with IoU exactly 0.6 matches at 0.50, 0.55 and 0.60 only → AP 3/10.
    // Class 2: a perfect detection → AP 1 at every threshold.
    const images: EvaluatedImage[] = [
      {
        groundTruth: [{ classIndex: 0, box: [0, 0, 10, 10] }, { classIndex: 2, box: [30, 30, 40, 40] }],
        detections: [
          { classIndex: 0, score: 0.7, box: [0, 0, 10, 6] },
          { classIndex: 2, score: 0.6, box: [30, 30, 40, 40] },
        ],
      },
    ]
    const summary = summarizeCoco(images, 3)
    expect(summary.perClass).toEqual([
      // pycocotools divides by tp + fp + np.spacing(1): a perfect precision reads 1 − 2⁻⁵².
      { classIndex: 0, ap50: expect.closeTo(1, 12), ap: expect.closeTo(0.3, 12) },
      { classIndex: 2, ap50: expect.closeTo(1, 12), ap: expect.closeTo(1, 12) },
    ])
    expect(summary.map50).toBeCloseTo(1, 12)
    expect(summary.map).toBeCloseTo(0.65, 12)
  })

  it('leaves classes without ground truth out of the means, even if they have false positives', () => {
    const images: EvaluatedImage[] = [
      {
        groundTruth: [{ classIndex: 1, box: [0, 0, 10, 10] }],
        detections: [
          { classIndex: 1, score: 0.9, box: [0, 0, 10, 10] },
          { classIndex: 0, score: 0.99, box: [50, 50, 60, 60] },
        ],
      },
    ]
    const summary = summarizeCoco(images, 2)
    expect(summary.perClass.map((p) => p.classIndex)).toEqual([1])
    expect(summary.map50).toBeCloseTo(1, 12)
  })

  it('limits detections per image like COCO (100 by default)', () => {
    // 100 higher-scoring false positives push the one true detection out of the image's top 100.
    const detections = Array.from({ length: 100 }, (_, i) => ({ classIndex: 0, score: 0.9, box: [100 + i, 0, 110 + i, 10] as const }))
    const images: EvaluatedImage[] = [
      { groundTruth: [{ classIndex: 0, box: [0, 0, 10, 10] }], detections: [...detections, { classIndex: 0, score: 0.1, box: [0, 0, 10, 10] }] },
    ]
    expect(summarizeCoco(images, 1).map50).toBe(0)
    // With one false positive fewer, the true detection is the 100th and is found last: precision 1/100 at recall 1.
    const fewer: EvaluatedImage[] = [{ groundTruth: images[0]!.groundTruth, detections: [...detections.slice(1), images[0]!.detections[100]!] }]
    expect(summarizeCoco(fewer, 1).map50).toBeCloseTo(0.01, 12)
  })
})
