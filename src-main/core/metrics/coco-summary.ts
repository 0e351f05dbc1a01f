/**
 * The COCO headline figures from per-class AP: mAP@0.5 and mAP@[.5:.95] (the mean over the ten
 * thresholds 0.50, 0.55, …, 0.95), each the mean over the classes that have ground truth.
 */
import { averagePrecision } from './average-precision'
import type { EvaluatedImage } from './types'

// Written out rather than computed: 0.5 + 0.05·i in floating point gives 0.6000000000000001 etc.
export const COCO_IOU_THRESHOLDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] as const

export interface ClassAp {
  classIndex: number
  /** AP at IoU 0.5 */
  ap50: number
  /** AP averaged over IoU 0.50:0.95 */
  ap: number
}

export interface CocoSummary {
  map50: number
  map: number
  /** Only the classes with at least one ground-truth box. */
  perClass: ClassAp[]
}

export function summarizeCoco(images: readonly EvaluatedImage[], classCount: number, maxDetectionsPerImage = 100): CocoSummary {
  const perClass: ClassAp[] = []
  for (let c = 0; c < classCount; c++) {
    const aps = COCO_IOU_THRESHOLDS.map((t) => averagePrecision(images, c, t, maxDetectionsPerImage))
    if (aps[0] === null) continue
    const values = aps.map((a) => a ?? 0)
    perClass.push({ classIndex: c, ap50: values[0]!, ap: mean(values) })
  }
  return { map50: mean(perClass.map((p) => p.ap50)), map: mean(perClass.map((p) => p.ap)), perClass }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length
}
