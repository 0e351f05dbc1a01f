import { describe, expect, it } from 'vitest'
import { float16Bits, fromFloat16, toFloat16 } from '../../../src-main/core/detect/float16'

describe('float16 at the graph boundary', () => {
  it('converts known values', () => {
    expect(float16Bits(0)).toBe(0x0000)
    expect(float16Bits(-0)).toBe(0x8000)
    expect(float16Bits(1)).toBe(0x3c00)
    expect(float16Bits(-2)).toBe(0xc000)
    expect(float16Bits(65504)).toBe(0x7bff) // largest finite
    expect(float16Bits(1e6)).toBe(0x7c00) // overflow: Infinity
    expect(float16Bits(-Infinity)).toBe(0xfc00)
    expect(float16Bits(2 ** -24)).toBe(0x0001) // smallest subnormal
    expect(float16Bits(2 ** -26)).toBe(0x0000) // below half of it: zero
    expect(float16Bits(0.1)).toBe(0x2e66)
    expect(Number.isNaN(fromFloat16(new Uint16Array([float16Bits(NaN)]))[0])).toBe(true)
  })

  it('rounds to nearest with ties to even, in normal and subnormal range', () => {
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: even mantissa (1) wins.
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00)
    // 1 + 3·2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9: rounds up.
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02)
    expect(float16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01)
    // Halfway between subnormals 1·2^-24 and 2·2^-24 rounds to 2 (even); 3.5·2^-24 rounds to 4.
    expect(float16Bits(1.5 * 2 ** -24)).toBe(0x0002)
    expect(float16Bits(3.5 * 2 ** -24)).toBe(0x0004)
    // Rounding up out of the mantissa carries into the exponent.
    expect(float16Bits(2047.9)).toBe(0x6800)
  })

  it('round-trips every finite float16 exactly', () => {
    const all = new Uint16Array(65536).map((_, i) => i)
    const values = fromFloat16(all)
    const back = toFloat16(values)
    for (let bits = 0; bits < 65536; bits++) {
      const exponent = (bits >>> 10) & 0x1f
      if (exponent === 31 && (bits & 0x3ff) !== 0) continue // NaN payloads
      if (back[bits] !== bits) throw new Error(`0x${bits.toString(16)} came back as 0x${back[bits]!.toString(16)}`)
    }
    expect(values[0x3c00]).toBe(1)
    expect(values[0x0001]).toBe(2 ** -24)
  })

  it('matches the nearest float16 for random values (checked against both neighbours)', () => {
    const values = new Float32Array(2000).map((_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 9) - 4))
    const bits = toFloat16(values)
    const table = fromFloat16(new Uint16Array(65536).map((_, i) => i))
    values.forEach((value, i) => {
      const chosen = table[bits[i]!]!
      const error = Math.abs(chosen - value)
      for (const neighbour of [bits[i]! - 1, bits[i]! + 1]) {
        if ((neighbour & 0x7c00) === 0x7c00 || neighbour < 0 || neighbour > 0xffff) continue
        if (Math.sign(table[neighbour]!) !== Math.sign(chosen) && chosen !== 0) continue
        expect(error).toBeLessThanOrEqual(Math.abs(table[neighbour]! - value))
      }
    })
  })

  it('refuses an output buffer of another length', () => {
    expect(() => toFloat16(new Float32Array(3), new Uint16Array(2))).toThrow('toFloat16: 3 values into 2 slots')
  })
})
