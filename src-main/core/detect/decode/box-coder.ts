/**
 * Box decoding (anchor + regression deltas → corners), step for step in float32 the way
 * torchvision's BoxCoder.decode_single does it, with the variants the other frameworks need:
 * clamping dw/dh above only (torchvision), on both sides (mmdet), or not at all (ODTK), and ODTK's
 * "+1" pixel widths (w = x2 − x1 + 1, x2 = cx + w/2 − 1).
 */
import type { BoxCoderConfig } from '../types'

const f32 = Math.fround

export interface BoxCoder {
  weightX: number
  weightY: number
  weightW: number
  weightH: number
  /** Bounds for dw/dh after dividing by the weights (±Infinity when not clamped). */
  clampLow: number
  clampHigh: number
  plusOne: boolean
}

export function createBoxCoder(config: BoxCoderConfig): BoxCoder {
  const [weightX, weightY, weightW, weightH] = config.weights.map(f32) as [number, number, number, number]
  // torch.clamp(t, max=python_float) compares in the tensor's dtype, so the bound is float32.
  const clampValue = f32(config.clampValue)
  return {
    weightX,
    weightY,
    weightW,
    weightH,
    clampLow: config.clamp === 'both' ? -clampValue : -Infinity,
    clampHigh: config.clamp === 'none' ? Infinity : clampValue,
    plusOne: config.plusOne,
  }
}

/**
 * Decodes one box from its regression outputs (dx, dy, dw, dh) and anchor corners into out[o..o+3]. Each float32 tensor op of the reference rounds once, so every
 * intermediate is passed through Math.fround in the same order.
 */
export function decodeBox(
  coder: BoxCoder,
  rawDx: number,
  rawDy: number,
  rawDw: number,
  rawDh: number,
  anchor: Float32Array,
  out: Float32Array,
  o: number,
): void {
  const ax1 = anchor[0]!
  const ay1 = anchor[1]!
  let width = f32(anchor[2]! - ax1)
  let height = f32(anchor[3]! - ay1)
  if (coder.plusOne) {
    width = f32(width + 1)
    height = f32(height + 1)
  }
  const centerX = f32(ax1 + f32(0.5 * width))
  const centerY = f32(ay1 + f32(0.5 * height))

  const dx = f32(f32(rawDx) / coder.weightX)
  const dy = f32(f32(rawDy) / coder.weightY)
  let dw = f32(f32(rawDw) / coder.weightW)
  let dh = f32(f32(rawDh) / coder.weightH)
  dw = Math.min(Math.max(dw, coder.clampLow), coder.clampHigh)
  dh = Math.min(Math.max(dh, coder.clampLow), coder.clampHigh)

  const predCenterX = f32(f32(dx * width) + centerX)
  const predCenterY = f32(f32(dy * height) + centerY)
  const halfWidth = f32(0.5 * f32(f32(Math.exp(dw)) * width))
  const halfHeight = f32(0.5 * f32(f32(Math.exp(dh)) * height))

  out[o] = predCenterX - halfWidth
  out[o + 1] = predCenterY - halfHeight
  if (coder.plusOne) {
    out[o + 2] = f32(predCenterX + halfWidth) - 1
    out[o + 3] = f32(predCenterY + halfHeight) - 1
  } else {
    out[o + 2] = predCenterX + halfWidth
    out[o + 3] = predCenterY + halfHeight
  }
}
