/**
 * COCO-style average precision for one class at one IoU threshold, following pycocotools:
 * per image, the class's detections (at most `maxDetectionsPerImage`, highest scores first)
 * are matched greedily, each to the still-unmatched ground-truth box it overlaps most with
 * IoU ≥ threshold; then all images' detections are ranked by score, precision is made
 * non-increasing in recall, and it is sampled at the 101 recalls 0, 0.01, …, 1.
 */
import { boxIou } from './box-iou'
import type { Box, EvaluatedImage } from './types'

export const RECALL_POINTS = 101

export interface RankedMatch {
  score: number
  matched: boolean
}

/** Greedy matching within one image and one class. `detections` need not be sorted. */
export function matchDetections(
  groundTruth: readonly Box[],
  detections: readonly { score: number; box: Box }[],
  iouThreshold: number,
  maxDetections = Infinity,
): RankedMatch[] {
  const ranked = detections
    .map((d, index) => ({ d, index }))
    .sort((a, b) => b.d.score - a.d.score || a.index - b.index)
    .slice(0, maxDetections)
  const taken = new Array<boolean>(groundTruth.length).fill(false)
  return ranked.map(({ d }) => {
    // pycocotools starts from min(t, 1 − 1e-10) so that a threshold of 1 can still match.
    let best = Math.min(iouThreshold, 1 - 1e-10)
    let bestIndex = -1
    groundTruth.forEach((g, j) => {
      if (taken[j]) return
      const iou = boxIou(d.box, g)
      if (iou < best) return
      best = iou
      bestIndex = j
    })
    if (bestIndex >= 0) taken[bestIndex] = true
    return { score: d.score, matched: bestIndex >= 0 }
  })
}

/** AP of one class; null when no image has a ground-truth box of that class (COCO skips it). */
export function averagePrecision(
  images: readonly EvaluatedImage[],
  classIndex: number,
  iouThreshold: number,
  maxDetectionsPerImage = 100,
): number | null {
  let groundTruthCount = 0
  const matches: RankedMatch[] = []
  for (const image of images) {
    const truth = image.groundTruth.filter((g) => g.classIndex === classIndex).map((g) => g.box)
    const detections = image.detections.filter((d) => d.classIndex === classIndex)
    groundTruthCount += truth.length
    matches.push(...matchDetections(truth, detections, iouThreshold, maxDetectionsPerImage))
  }
  if (groundTruthCount === 0) return null
  return interpolatedPrecision(matches, groundTruthCount)
}

/** Area under the interpolated precision/recall curve sampled at 101 recall points. */
export function interpolatedPrecision(matches: readonly RankedMatch[], groundTruthCount: number): number {
  // A stable sort keeps image order among equal scores, as pycocotools' mergesort does.
  const ranked = [...matches].sort((a, b) => b.score - a.score)
  const recall: number[] = []
  const precision: number[] = []
  let tp = 0
  ranked.forEach((m, i) => {
    if (m.matched) tp++
    recall.push(tp / groundTruthCount)
    precision.push(tp / (i + 1))
  })
  for (let i = precision.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i]!, precision[i + 1]!)
  let sum = 0
  for (let k = 0; k < RECALL_POINTS; k++) {
    const wanted = k / (RECALL_POINTS - 1)
    const at = firstIndexAtLeast(recall, wanted)
    if (at < precision.length) sum += precision[at]!
  }
  return sum / RECALL_POINTS
}

/** Index of the first element ≥ value in an ascending array (numpy's searchsorted, side "left"). */
function firstIndexAtLeast(sorted: readonly number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}
