/**
 * Which ground-truth box each anchor learns from, as torchvision's
 * Matcher(0.5, 0.4, allow_low_quality_matches=True) decides for RetinaNet: an anchor is
 * foreground for the box it overlaps most when that IoU ≥ 0.5, background below 0.4, and
 * ignored between. Then, so that no box goes unlearned, every anchor that is some box's best
 * anchor (ties included) gets back its own best match whatever the thresholds said.
 *
 * One deliberate difference: torchvision also applies that rescue when a box's best IoU is 0
 * (a box no anchor touches), which makes every anchor touching nothing foreground. Here a box
 * with no overlapping anchor rescues nothing.
 */

/** Anchor below the background threshold: learns "no object". */
export const BACKGROUND = -1
/** Anchor between the thresholds: left out of the classification loss. */
export const IGNORED = -2

export interface MatchThresholds {
  foreground: number
  background: number
}

export const RETINANET_MATCHING: MatchThresholds = { foreground: 0.5, background: 0.4 }

/** IoU of two [x1, y1, x2, y2] boxes without a "+1", as torchvision.ops.box_iou. */
export function boxIou(a: Float32Array, i: number, b: Float32Array, j: number): number {
  const ax1 = a[i * 4]!, ay1 = a[i * 4 + 1]!, ax2 = a[i * 4 + 2]!, ay2 = a[i * 4 + 3]!
  const bx1 = b[j * 4]!, by1 = b[j * 4 + 1]!, bx2 = b[j * 4 + 2]!, by2 = b[j * 4 + 3]!
  const overlapWidth = Math.min(ax2, bx2) - Math.max(ax1, bx1)
  const overlapHeight = Math.min(ay2, by2) - Math.max(ay1, by1)
  if (overlapWidth <= 0 || overlapHeight <= 0) return 0
  const intersection = overlapWidth * overlapHeight
  const union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - intersection
  return intersection / union
}

/**
 * For each anchor (anchors: [A × 4]) the index of its ground-truth box (boxes: [G × 4]), or
 * BACKGROUND / IGNORED. With no boxes every anchor is background.
 */
export function matchAnchors(
  anchors: Float32Array,
  boxes: Float32Array,
  thresholds: MatchThresholds = RETINANET_MATCHING,
): Int32Array {
  const anchorCount = anchors.length / 4
  const boxCount = boxes.length / 4
  const matches = new Int32Array(anchorCount).fill(BACKGROUND)
  if (boxCount === 0) return matches
  const bestBox = new Int32Array(anchorCount)
  const bestIouOfBox = new Float64Array(boxCount)
  // One pass keeps each anchor's best box (the first on ties, as torch.max) and each box's best IoU.
  for (let a = 0; a < anchorCount; a++) {
    let best = -1
    let bestValue = -1
    for (let b = 0; b < boxCount; b++) {
      const iou = boxIou(anchors, a, boxes, b)
      if (iou > bestValue) {
        bestValue = iou
        best = b
      }
      if (iou > bestIouOfBox[b]!) bestIouOfBox[b] = iou
    }
    bestBox[a] = best
    if (bestValue >= thresholds.foreground) matches[a] = best
    else if (bestValue >= thresholds.background) matches[a] = IGNORED
  }
  // The low-quality rescue needs each box's best IoU over all anchors, so it is a second pass.
  for (let a = 0; a < anchorCount; a++) {
    if (matches[a]! >= 0) continue
    for (let b = 0; b < boxCount; b++) {
      const best = bestIouOfBox[b]!
      if (best > 0 && boxIou(anchors, a, boxes, b) === best) {
        matches[a] = bestBox[a]!
        break
      }
    }
  }
  return matches
}
