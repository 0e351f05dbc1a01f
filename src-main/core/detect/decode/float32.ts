/**
 * Float32 arithmetic as PyTorch's CPU kernels do it. The reference frameworks compute every
 * step of decoding in float32; rounding each intermediate with Math.fround where a tensor op
 * would round keeps our boxes and scores within an ulp of theirs instead of drifting by the
 * difference between float32 and float64.
 */

const f32 = Math.fround

/** torch.sigmoid on float32: 1 / (1 + exp(-x)), each operation rounded to float32. */
export function sigmoidF32(logit: number): number {
  return f32(1 / f32(1 + f32(Math.exp(-logit))))
}

/** Round half to even, as torch.round does (Math.round sends every .5 upwards: 50.5 → 51, torch → 50). */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value)
  const fraction = value - floor
  if (fraction < 0.5) return floor
  if (fraction > 0.5) return floor + 1
  return floor % 2 === 0 ? floor : floor + 1
}

const scratch = new DataView(new ArrayBuffer(4))

/** Float32 values in increasing order map to increasing integers (so bisection can walk them). */
function float32ToOrderedInt(value: number): number {
  scratch.setFloat32(0, value)
  const bits = scratch.getInt32(0)
  return bits >= 0 ? bits : -(bits & 0x7fffffff)
}

function orderedIntToFloat32(ordered: number): number {
  scratch.setInt32(0, ordered >= 0 ? ordered : -ordered | 0x80000000)
  return scratch.getFloat32(0)
}

/**
 * The smallest float32 logit whose float32 sigmoid is strictly above `threshold` (itself rounded
 * to float32, as a comparison between a float tensor and a Python float is done in float32).
 * `logit >= result` is then exactly `sigmoidF32(logit) > threshold` for every float32 logit, so the
 * hot loop compares raw logits and computes no sigmoid at all. -Infinity: everything passes;
 * +Infinity: nothing does.
 */
export function logitThresholdF32(threshold: number): number {
  const t = f32(threshold)
  if (Number.isNaN(t)) throw new Error(`score threshold must be a number, got ${threshold}`)
  if (sigmoidF32(-Infinity) > t) return -Infinity
  if (!(sigmoidF32(f32(3.4028234663852886e38)) > t)) return Infinity
  // Invariant: sigmoid(low) <= t < sigmoid(high); sigmoidF32 is non-decreasing in its argument.
  let low = float32ToOrderedInt(-3.4028234663852886e38)
  let high = float32ToOrderedInt(3.4028234663852886e38)
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (sigmoidF32(orderedIntToFloat32(middle)) > t) high = middle
    else low = middle
  }
  return orderedIntToFloat32(high)
}
