import type { Box } from './types'

/** Intersection over union of two [x1, y1, x2, y2] boxes (areas without a "+1"); 0 when both are empty. */
export function boxIou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0])
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1])
  if (iw <= 0 || ih <= 0) return 0
  const inter = iw * ih
  const union = area(a) + area(b) - inter
  return union > 0 ? inter / union : 0
}

function area(b: Box): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1])
}
