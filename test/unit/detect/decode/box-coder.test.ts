import { describe, expect, it } from 'vitest'
import { createBoxCoder, decodeBox } from '../../../../src-main/core/detect/decode/box-coder'
import { decodeConfig } from './model-config'

const torchvision = decodeConfig().boxCoder
const LOG_1000_OVER_16 = Math.log(1000 / 16)

function decode(config: typeof torchvision, deltas: [number, number, number, number], anchor: [number, number, number, number]): number[] {
  const out = new Float32Array(4)
  decodeBox(createBoxCoder(config), ...deltas, new Float32Array(anchor), out, 0)
  return Array.from(out)
}

describe('decodeBox', () => {
  it('returns the anchor itself for zero deltas', () => {
    expect(decode(torchvision, [0, 0, 0, 0], [10, 20, 50, 100])).toEqual([10, 20, 50, 100])
  })

  it('moves the centre by dx·w, dy·h and scales the size by e^dw, e^dh', () => {
    // Anchor 40×80 centred at (30, 60): dx = 0.5 → +20, dy = −0.25 → −20; e^dw = 2 → w 80; e^dh = 1/2 → h 40.
    const box = decode(torchvision, [0.5, -0.25, Math.log(2), Math.log(0.5)], [10, 20, 50, 100])
    const expected = [50 - 40, 40 - 20, 50 + 40, 40 + 20]
    box.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 4))
  })

  it('divides deltas by the weights first', () => {
    // weights (10, 10, 5, 5): dx = 1 → 0.1 of the width; dw = 5·ln 2 → e^(ln 2) = 2.
    const weighted = { ...torchvision, weights: [10, 10, 5, 5] as [number, number, number, number] }
    const box = decode(weighted, [1, 2, 5 * Math.log(2), 0], [0, 0, 100, 100])
    const expected = [10 + 50 - 100, 20 + 0, 10 + 50 + 100, 20 + 100]
    box.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 3))
  })

  it('clamps dw/dh above at log(1000/16) only (torchvision)', () => {
    // A 16-pixel anchor may grow to at most 16·1000/16 = 1000 pixels; shrinking is not bounded.
    const grown = decode(torchvision, [0, 0, 10, 10], [-8, -8, 8, 8])
    grown.forEach((value, i) => expect(value).toBeCloseTo([-500, -500, 500, 500][i]!, 2))
    const shrunk = decode(torchvision, [0, 0, -10, -10], [-8, -8, 8, 8])
    expect(shrunk[2]! - shrunk[0]!).toBeCloseTo(16 * Math.exp(-10), 6)
  })

  it('clamps on both sides (mmdet) and not at all (ODTK)', () => {
    const both = decode({ ...torchvision, clamp: 'both' }, [0, 0, -10, 10], [-8, -8, 8, 8])
    expect(both[2]! - both[0]!).toBeCloseTo(16 / 62.5, 4) // 16·e^(−log 62.5)
    expect(both[3]! - both[1]!).toBeCloseTo(1000, 2)
    const none = decode({ ...torchvision, clamp: 'none', clampValue: LOG_1000_OVER_16 }, [0, 0, 5, 0], [-8, -8, 8, 8])
    expect(none[2]! - none[0]!).toBeCloseTo(16 * Math.exp(5), 2)
  })

  it('measures widths with +1 and ends boxes one pixel earlier under the "+1" convention (ODTK)', () => {
    // Anchor [0, 0, 9, 9]: width 10, centre 5; zero deltas → [5 − 5, 5 − 5, 5 + 5 − 1, 5 + 5 − 1].
    const plusOne = { ...torchvision, clamp: 'none' as const, plusOne: true }
    expect(decode(plusOne, [0, 0, 0, 0], [0, 0, 9, 9])).toEqual([0, 0, 9, 9])
    // dx = 0.1 → centre moves by one pixel; e^dw = 2 → width 20: [6 − 10, 5 − 5, 6 + 10 − 1, 5 + 5 − 1].
    const moved = decode(plusOne, [0.1, 0, Math.log(2), 0], [0, 0, 9, 9])
    moved.forEach((value, i) => expect(value).toBeCloseTo([-4, 0, 15, 9][i]!, 4))
  })

  it('rounds like float32 tensor arithmetic rather than float64', () => {
    // dx·w + cx at a large coordinate: 0.1·16 = 1.6 (float32 1.60000002…) + 2000.5 rounds to a float32.
    const [x1] = decode(torchvision, [0.1, 0, 0, 0], [1992.5, 0, 2008.5, 16])
    expect(x1).toBe(Math.fround(Math.fround(Math.fround(Math.fround(0.1) * 16) + 2000.5) - 8))
    expect(x1).toBe(1994.0999755859375)
    expect(x1).not.toBe(0.1 * 16 + 2000.5 - 8)
  })
})
