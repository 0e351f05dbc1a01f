/**
 * COCOeval.evaluate() for boxes: per image and category, the detections sorted by score
 * (stable, as numpy's mergesort) and cut to the last maxDets, the IoU of every detection with
 * every ground-truth box computed once, then for each area range and IoU threshold the greedy
 * matching of pycocotools' evaluateImg, line for line:
 * - ground truth outside the area range or crowd is "ignored" and tried last;
 * - a detection takes the box of highest IoU ≥ the threshold (a later box with an equal IoU
 *   wins), a crowd box can be taken again, and once a detection holds a regular box it stops
 *   at the first ignored one;
 * - IoU with a crowd box is intersection / detection area (maskApi's bbIou);
 * - a detection matched to an ignored box, or unmatched and outside the area range, is ignored.
 * The result is kept per category, detections in image order, in flat typed arrays.
 */
import { AREA_RANGES, IOU_THRESHOLDS } from './coco-parameters'
import type { EvaluationInput } from './evaluation-input'

export const enum DetectionOutcome {
  FalsePositive = 0,
  TruePositive = 1,
  Ignored = 2,
}

export interface CategoryMatches {
  /** Detections kept (at most maxDetections per image), image by image, best score first. */
  count: number
  score: Float64Array
  image: Int32Array
  /** Place of the detection among its image's detections of this category, 0 = best score. */
  rank: Int32Array
  /** Index into the input's detections. */
  detection: Int32Array
  /** DetectionOutcome per [area range][IoU threshold][detection]. */
  outcome: Uint8Array
  /** Per detection at IoU 0.5 and area "all": the input index of the ground truth it matched, or −1. */
  matchedAt50: Int32Array
  /** Ground truth that counts (not crowd, inside the range) per area range: pycocotools' npig. */
  groundTruthCount: Int32Array
}

export interface MatchResult {
  categories: CategoryMatches[]
  /** Per input ground-truth box: the detection (input index) matching it at IoU 0.5, area all; −1 if none or crowd. */
  groundTruthMatchAt50: Int32Array
  maxDetections: number
}

/** Start offsets of each (image, category) group in a stable counting sort of the rows. */
function groupRows(image: Int32Array, category: Int32Array, count: number, categoryCount: number, groupCount: number) {
  const start = new Int32Array(groupCount + 1)
  for (let i = 0; i < count; i++) start[image[i]! * categoryCount + category[i]! + 1]!++
  for (let g = 0; g < groupCount; g++) start[g + 1]! += start[g]!
  const next = start.slice(0, groupCount)
  const rows = new Int32Array(count)
  for (let i = 0; i < count; i++) rows[next[image[i]! * categoryCount + category[i]!]!++] = i
  return { start, rows }
}

export function matchDetections(input: EvaluationInput, maxDetections = 100): MatchResult {
  const { imageCount, categoryCount, groundTruth: truth, detections } = input
  const groupCount = imageCount * categoryCount
  const truthGroups = groupRows(truth.image, truth.category, truth.count, categoryCount, groupCount)
  const detectionGroups = groupRows(detections.image, detections.category, detections.count, categoryCount, groupCount)

  const areaCount = AREA_RANGES.length
  const thresholdCount = IOU_THRESHOLDS.length
  const keptPerCategory = new Int32Array(categoryCount)
  let largestGroup = { detections: 0, truth: 0 }
  for (let group = 0; group < groupCount; group++) {
    const detected = detectionGroups.start[group + 1]! - detectionGroups.start[group]!
    const truthCount = truthGroups.start[group + 1]! - truthGroups.start[group]!
    keptPerCategory[group % categoryCount]! += Math.min(detected, maxDetections)
    largestGroup = { detections: Math.max(largestGroup.detections, detected), truth: Math.max(largestGroup.truth, truthCount) }
  }
  const categories: CategoryMatches[] = Array.from(keptPerCategory, (count) => ({
    count,
    score: new Float64Array(count),
    image: new Int32Array(count),
    rank: new Int32Array(count),
    detection: new Int32Array(count),
    outcome: new Uint8Array(areaCount * thresholdCount * count),
    matchedAt50: new Int32Array(count).fill(-1),
    groundTruthCount: new Int32Array(areaCount),
  }))
  const groundTruthMatchAt50 = new Int32Array(truth.count).fill(-1)

  // Scratch space reused by every group: no allocation per image or per pair.
  const maxKept = Math.min(largestGroup.detections, maxDetections)
  const maxTruth = largestGroup.truth
  const sortedDetections = new Int32Array(largestGroup.detections)
  const iou = new Float64Array(Math.max(1, maxKept * maxTruth))
  const truthOrder = new Int32Array(maxTruth)
  const truthIgnored = new Uint8Array(maxTruth)
  const truthTaken = new Uint8Array(maxTruth)
  const filled = new Int32Array(categoryCount)

  for (let group = 0; group < groupCount; group++) {
    const category = group % categoryCount
    const image = (group - category) / categoryCount
    const truthStart = truthGroups.start[group]!
    const truthCount = truthGroups.start[group + 1]! - truthStart
    const detectionStart = detectionGroups.start[group]!
    const detectionCount = detectionGroups.start[group + 1]! - detectionStart
    const matches = categories[category]!
    if (truthCount === 0 && detectionCount === 0) continue

    // Best score first, ties in input order (stable), as np.argsort(-scores, kind='mergesort').
    for (let i = 0; i < detectionCount; i++) sortedDetections[i] = detectionGroups.rows[detectionStart + i]!
    sortByScoreDescending(sortedDetections, detectionCount, detections.score)
    const kept = Math.min(detectionCount, maxDetections)
    const base = filled[category]!
    filled[category] = base + kept
    for (let d = 0; d < kept; d++) {
      const row = sortedDetections[d]!
      matches.score[base + d] = detections.score[row]!
      matches.image[base + d] = image
      matches.rank[base + d] = d
      matches.detection[base + d] = row
    }

    // IoU [detection][ground truth], from x, y, w, h exactly as maskApi's bbIou.
    for (let d = 0; d < kept; d++) {
      const row = sortedDetections[d]!
      const dx = detections.boxes[row * 4]!
      const dy = detections.boxes[row * 4 + 1]!
      const dw = detections.boxes[row * 4 + 2]!
      const dh = detections.boxes[row * 4 + 3]!
      const detectionArea = dw * dh
      for (let g = 0; g < truthCount; g++) {
        const truthRow = truthGroups.rows[truthStart + g]!
        const gx = truth.boxes[truthRow * 4]!
        const gy = truth.boxes[truthRow * 4 + 1]!
        const gw = truth.boxes[truthRow * 4 + 2]!
        const gh = truth.boxes[truthRow * 4 + 3]!
        let overlap = 0
        const w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx)
        if (w > 0) {
          const h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy)
          if (h > 0) {
            const intersection = w * h
            const union = truth.crowd[truthRow] ? detectionArea : detectionArea + gw * gh - intersection
            overlap = intersection / union
          }
        }
        iou[d * truthCount + g] = overlap
      }
    }

    for (let area = 0; area < areaCount; area++) {
      const [low, high] = AREA_RANGES[area]!
      // Counted ground truth first, ignored last, each part in input order (stable argsort of _ignore).
      let placed = 0
      for (let pass = 0; pass < 2; pass++) {
        for (let g = 0; g < truthCount; g++) {
          const truthRow = truthGroups.rows[truthStart + g]!
          const areaValue = truth.area[truthRow]!
          const ignored = truth.crowd[truthRow] === 1 || areaValue < low || areaValue > high ? 1 : 0
          if (ignored !== pass) continue
          truthIgnored[placed] = ignored
          truthOrder[placed++] = g
        }
        if (pass === 0) matches.groundTruthCount[area]! += placed
      }

      for (let t = 0; t < thresholdCount; t++) {
        truthTaken.fill(0, 0, truthCount)
        const outcomeBase = (area * thresholdCount + t) * matches.count + base
        const threshold = Math.min(IOU_THRESHOLDS[t]!, 1 - 1e-10)
        for (let d = 0; d < kept; d++) {
          let best = threshold
          let matched = -1
          for (let j = 0; j < truthCount; j++) {
            const g = truthOrder[j]!
            if (truthTaken[j] && !truth.crowd[truthGroups.rows[truthStart + g]!]) continue
            if (matched > -1 && truthIgnored[matched] === 0 && truthIgnored[j] === 1) break
            const overlap = iou[d * truthCount + g]!
            if (overlap < best) continue
            best = overlap
            matched = j
          }
          let outcome: DetectionOutcome
          if (matched === -1) {
            const row = sortedDetections[d]!
            const detectionArea = detections.boxes[row * 4 + 2]! * detections.boxes[row * 4 + 3]!
            outcome = detectionArea < low || detectionArea > high ? DetectionOutcome.Ignored : DetectionOutcome.FalsePositive
          } else {
            truthTaken[matched] = 1
            outcome = truthIgnored[matched] ? DetectionOutcome.Ignored : DetectionOutcome.TruePositive
            if (area === 0 && t === 0) {
              const truthRow = truthGroups.rows[truthStart + truthOrder[matched]!]!
              matches.matchedAt50[base + d] = truthRow
              if (!truth.crowd[truthRow]) groundTruthMatchAt50[truthRow] = sortedDetections[d]!
            }
          }
          matches.outcome[outcomeBase + d] = outcome
        }
      }
    }
  }
  return { categories, groundTruthMatchAt50, maxDetections }
}

/** Stable sort of `rows[0..count)` by score, highest first. */
function sortByScoreDescending(rows: Int32Array, count: number, score: Float64Array): void {
  if (count <= 32) {
    for (let i = 1; i < count; i++) {
      const row = rows[i]!
      const value = score[row]!
      let j = i - 1
      while (j >= 0 && score[rows[j]!]! < value) {
        rows[j + 1] = rows[j]!
        j--
      }
      rows[j + 1] = row
    }
    return
  }
  const sorted = Array.from(rows.subarray(0, count)).sort((a, b) => score[b]! - score[a]! || a - b)
  rows.set(sorted)
}
