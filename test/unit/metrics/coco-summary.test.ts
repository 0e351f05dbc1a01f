import { describe, expect, it } from 'vitest'
import { COCO_IOU_THRESHOLDS, summarizeCoco } from '../../../src-main/core/metrics/coco-summary'
import type { EvaluatedImage } from '../../../src-main/core/metrics/types'

describe('summarizeCoco', () => {
  it('uses the ten thresholds 0.50 … 0.95 exactly', () => {
    expect(COCO_IOU_THRESHOLDS).toHaveLength(10)
    expect(COCO_IOU_THRESHOLDS[2]).toBe(0.6)
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
      { classIndex: 0, ap50: 1, ap: expect.closeTo(0.3, 12) },
      { classIndex: 2, ap50: 1, ap: 1 },
    ])
    expect(summary.map50).toBe(1)
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
    expect(summary.map50).toBe(1)
  })

  it('limits detections per image like COCO (100 by default)', () => {
    // 100 higher-scoring false positives push the one true detection out of the image's top 100.
    const detections = Array.from({ length: 100 }, (_, i) => ({ classIndex: 0, score: 0.9, box: [100 + i, 0, 110 + i, 10] as const }))
    const images: EvaluatedImage[] = [
      { groundTruth: [{ classIndex: 0, box: [0, 0, 10, 10] }], detections: [...detections, { classIndex: 0, score: 0.1, box: [0, 0, 10, 10] }] },
    ]
    expect(summarizeCoco(images, 1).map50).toBe(0)
    expect(summarizeCoco(images, 1, 101).map50).toBeCloseTo(1 / 101, 12)
  })
})
