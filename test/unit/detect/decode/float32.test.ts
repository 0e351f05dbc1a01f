import { describe, expect, it } from 'vitest'
import { logitThresholdF32, roundHalfEven, sigmoidF32 } from '../../../../src-main/core/detect/decode/float32'

/** The float32 just below a positive or negative float32 value. */
function previousFloat32(value: number): number {
  const array = new Float32Array([value])
  const bits = new Int32Array(array.buffer)
  bits[0] = value > 0 ? bits[0]! - 1 : bits[0]! + 1
  return array[0]!
}

describe('roundHalfEven', () => {
  it('rounds exact halves to the even neighbour, everything else to the nearest', () => {
    expect([50.5, 80.5, 101.5, 322.5, -50.5, -80.5, -101.5, 0.5, -0.5, 1.5].map(roundHalfEven)).toEqual([50, 80, 102, 322, -50, -80, -102, 0, 0, 2])
    expect([22.627417, -22.627417, 11.3137, 3.49999, -3.50001].map(roundHalfEven)).toEqual([23, -23, 11, 3, -4])
    expect(Math.round(50.5)).toBe(51) // why Math.round will not do
  })
})

describe('sigmoidF32', () => {
  it('is float32 throughout and saturates like torch.sigmoid on float32', () => {
    expect(sigmoidF32(0)).toBe(0.5)
    expect(sigmoidF32(2)).toBe(Math.fround(1 / Math.fround(1 + Math.fround(Math.exp(-2)))))
    expect(sigmoidF32(20)).toBe(1) // 1 + e^−20 rounds to 1 in float32
  })
})

describe('logitThresholdF32', () => {
  it('is the smallest float32 logit whose float32 sigmoid exceeds the float32 threshold', () => {
    for (const threshold of [0.05, 0.3, 0.5, 0.9, 1e-6]) {
      const bound = logitThresholdF32(threshold)
      expect(sigmoidF32(bound)).toBeGreaterThan(Math.fround(threshold))
      expect(sigmoidF32(previousFloat32(bound))).toBeLessThanOrEqual(Math.fround(threshold))
      expect(bound).toBeCloseTo(Math.log(threshold / (1 - threshold)), 5)
    }
  })

  it('lets nothing through at 1 and rejects a missing threshold', () => {
    expect(logitThresholdF32(1)).toBe(Infinity)
    expect(() => logitThresholdF32(Number.NaN)).toThrow(/score threshold must be a number/)
  })
})
