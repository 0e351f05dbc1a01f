/**
 * Greedy non-maximum suppression per class on compact typed arrays, the same computation as
 * torchvision's batched_nms (which is per-class NMS, whichever of its two strategies it picks).
 *
 * Order and ties: candidates are visited by score descending, equal scores in candidate order
 * (position ascending). torchvision's nms kernel sorts stably, so on equal scores the earlier
 * candidate wins, as here. The returned keep list is in the same order; torchvision's final sort
 * in the many-box path is not stable, so only the order among exactly equal scores can differ.
 *
 * Arithmetic: IoU in float32, as the nms kernel computes it for float boxes; a box is suppressed
 * when IoU > threshold (strictly), so IoU exactly at the threshold survives.
 */

const f32 = Math.fround

export interface NmsOptions {
  iouThreshold: number
  /** ODTK's "+1" in widths, heights and areas. */
  plusOne: boolean
  /** Keep at most this many (the highest scoring after suppression). */
  maxKeep: number
}

/** Positions 0..count-1 sorted by score descending, ties by position ascending. */
export function orderByScore(scores: Float32Array, count: number): Int32Array {
  const order = new Int32Array(count)
  for (let i = 0; i < count; i++) order[i] = i
  order.sort((p, q) => scores[q]! - scores[p]! || p - q)
  return order
}

/**
 * Returns the positions kept, best first. `boxes` holds count × [x1, y1, x2, y2], `labels` the class
 * of each candidate; boxes of different classes never suppress each other.
 */
export function batchedNms(
  boxes: Float32Array,
  scores: Float32Array,
  labels: Int32Array,
  count: number,
  options: NmsOptions,
): Int32Array {
  if (count === 0 || options.maxKeep <= 0) return new Int32Array(0)
  const order = orderByScore(scores, count)

  // Stable counting sort of the score order by class: each class's candidates stay best first.
  let maxLabel = 0
  for (let i = 0; i < count; i++) if (labels[i]! > maxLabel) maxLabel = labels[i]!
  const classStart = new Int32Array(maxLabel + 2)
  for (let i = 0; i < count; i++) classStart[labels[i]! + 1]!++
  for (let c = 1; c < classStart.length; c++) classStart[c]! += classStart[c - 1]!
  const fill = classStart.slice(0, maxLabel + 1)
  const grouped = new Int32Array(count)
  for (let r = 0; r < count; r++) {
    const position = order[r]!
    grouped[fill[labels[position]!]!++] = position
  }

  const extra = options.plusOne ? 1 : 0
  const areas = new Float32Array(count)
  for (let i = 0; i < count; i++) {
    const b = i * 4
    areas[i] = f32(f32(boxes[b + 2]! - boxes[b]!) + extra) * f32(f32(boxes[b + 3]! - boxes[b + 1]!) + extra)
  }

  const suppressed = new Uint8Array(count)
  const threshold = options.iouThreshold
  for (let c = 0; c <= maxLabel; c++) {
    const end = classStart[c + 1]!
    for (let r = classStart[c]!; r < end; r++) {
      const i = grouped[r]!
      if (suppressed[i] === 1) continue
      const bi = i * 4
      const ix1 = boxes[bi]!
      const iy1 = boxes[bi + 1]!
      const ix2 = boxes[bi + 2]!
      const iy2 = boxes[bi + 3]!
      const iArea = areas[i]!
      for (let s = r + 1; s < end; s++) {
        const j = grouped[s]!
        if (suppressed[j] === 1) continue
        const bj = j * 4
        const width = Math.max(0, f32(f32(Math.min(ix2, boxes[bj + 2]!) - Math.max(ix1, boxes[bj]!)) + extra))
        if (width === 0) continue
        const height = Math.max(0, f32(f32(Math.min(iy2, boxes[bj + 3]!) - Math.max(iy1, boxes[bj + 1]!)) + extra))
        const intersection = f32(width * height)
        const iou = f32(intersection / f32(f32(iArea + areas[j]!) - intersection))
        if (iou > threshold) suppressed[j] = 1
      }
    }
  }

  const kept = new Int32Array(Math.min(count, options.maxKeep))
  let keptCount = 0
  for (let r = 0; r < count && keptCount < kept.length; r++) {
    const position = order[r]!
    if (suppressed[position] === 0) kept[keptCount++] = position
  }
  return kept.subarray(0, keptCount)
}
