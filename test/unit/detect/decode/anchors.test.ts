import { describe, expect, it } from 'vitest'
import {
  anchorAt,
  baseAnchors,
  buildAnchorGrid,
  cachedAnchorGrid,
  derivedLevelShapes,
  featureSizes,
  materializeAnchors,
} from '../../../../src-main/core/detect/decode/anchors'
import { TORCHVISION_SIZES, decodeConfig } from './model-config'

const torchvisionAnchors = decodeConfig().anchors
const rows = (anchors: Float32Array): number[][] =>
  Array.from({ length: anchors.length / 4 }, (_, i) => Array.from(anchors.subarray(i * 4, i * 4 + 4)))

describe('baseAnchors', () => {
  it('orders ratio-major (a = ratioIndex·S + sizeIndex) and rounds half to even like torch.round', () => {
    // ratio 0.5: h = √0.5, w = 1/h = √2; ws = 32·√2 = 45.25 → ±22.63 → ±23, hs = 22.63 → ±11.31 → ±11.
    expect(rows(baseAnchors([32, 40, 50], torchvisionAnchors))).toEqual([
      [-23, -11, 23, 11], [-28, -14, 28, 14], [-35, -18, 35, 18],
      [-16, -16, 16, 16], [-20, -20, 20, 20], [-25, -25, 25, 25],
      [-11, -23, 11, 23], [-14, -28, 14, 28], [-18, -35, 18, 35],
    ])
  })

  it('sends exact halves to the even neighbour where Math.round would go up', () => {
    // ratio 1: corners ±size/2. 101/2 = 50.5 → 50, 161/2 = 80.5 → 80, 203/2 = 101.5 → 102, 645/2 = 322.5 → 322.
    const square = { ...torchvisionAnchors, aspectRatios: [1] }
    expect(rows(baseAnchors([101, 161, 203, 645], square))).toEqual([
      [-50, -50, 50, 50],
      [-80, -80, 80, 80],
      [-102, -102, 102, 102],
      [-322, -322, 322, 322],
    ])
  })

  it('keeps float corners without rounding', () => {
    const floats = { ...torchvisionAnchors, aspectRatios: [1], rounding: 'none' as const }
    expect(rows(baseAnchors([101], floats))).toEqual([[-50.5, -50.5, 50.5, 50.5]])
  })

  it('orders scale-major (a = sizeIndex·R + ratioIndex) with the configured ratio order', () => {
    // ODTK: ratios (1, 2, 0.5); ratio 2: h = √2·s, w = s/√2. s = 32: w = 22.63, h = 45.25.
    const odtk = { ...torchvisionAnchors, aspectRatios: [1, 2, 0.5], order: 'scale-major' as const, rounding: 'none' as const }
    const anchors = rows(baseAnchors([32, 64], odtk))
    expect(anchors).toHaveLength(6)
    expect(anchors[0]).toEqual([-16, -16, 16, 16])
    expect(anchors[1]![2]).toBeCloseTo(32 / Math.SQRT2 / 2, 5)
    expect(anchors[1]![3]).toBeCloseTo((32 * Math.SQRT2) / 2, 5)
    expect(anchors[2]![2]).toBeCloseTo((32 * Math.SQRT2) / 2, 5)
    expect(anchors[3]).toEqual([-32, -32, 32, 32])
  })
})

describe('level shapes', () => {
  it('derives feature sizes as the stride-2 convolution chain does: ceil(n/8), then halving with ceil', () => {
    expect(featureSizes(800, 5)).toEqual([100, 50, 25, 13, 7])
    expect(featureSizes(1088, 5)).toEqual([136, 68, 34, 17, 9])
    expect(featureSizes(20, 5)).toEqual([3, 2, 1, 1, 1])
  })

  it('gives the 163,206 anchors of an 800×1088 COCO input', () => {
    const grid = buildAnchorGrid(800, 1088, derivedLevelShapes(800, 1088, 5), torchvisionAnchors)
    expect(grid.levels.map((level) => [level.height, level.width])).toEqual([[100, 136], [50, 68], [25, 34], [13, 17], [7, 9]])
    expect(grid.anchorCount).toBe(163206)
    expect(grid.levels.map((level) => level.firstAnchor)).toEqual([0, 122400, 153000, 160650, 162639])
  })
})

describe('anchor positions', () => {
  it('uses stride = padded // feature per axis, so P6/P7 strides need not be powers of two', () => {
    const grid = buildAnchorGrid(800, 1088, derivedLevelShapes(800, 1088, 5), torchvisionAnchors)
    const [p6, p7] = [grid.levels[3]!, grid.levels[4]!]
    expect([p6.strideY, p6.strideX]).toEqual([61, 64]) // 800 // 13, 1088 // 17
    expect([p7.strideY, p7.strideX]).toEqual([114, 120]) // 800 // 7, 1088 // 9
    // P7 cell (x = 1, y = 1), anchor 3 (ratio 1, size 512): [−256, −256, 256, 256] shifted by (120, 114).
    const anchor = new Float32Array(4)
    anchorAt(p7, (1 * 9 + 1) * 9 + 3, anchor)
    expect(Array.from(anchor)).toEqual([120 - 256, 114 - 256, 120 + 256, 114 + 256])
  })

  it('uses nominal strides 8·2^level when the config asks for ODTK’s rule', () => {
    const shapes = derivedLevelShapes(480, 640, 5) // heights 60, 30, 15, 8, 4
    const derived = buildAnchorGrid(480, 640, shapes, torchvisionAnchors)
    const nominal = buildAnchorGrid(480, 640, shapes, { ...torchvisionAnchors, strides: 'nominal' })
    expect(derived.levels.map((level) => level.strideY)).toEqual([8, 16, 32, 60, 120])
    expect(nominal.levels.map((level) => level.strideY)).toEqual([8, 16, 32, 64, 128])
  })

  it('lists every anchor cell by cell, anchors within a cell, levels P3→P7, with no centre offset', () => {
    const anchors = { ...torchvisionAnchors, sizes: [[16], [32]], aspectRatios: [1] }
    const grid = buildAnchorGrid(16, 16, [[2, 2], [1, 1]], anchors)
    expect(rows(materializeAnchors(grid))).toEqual([
      [-8, -8, 8, 8], [0, -8, 16, 8], [-8, 0, 8, 16], [0, 0, 16, 16], // P3, stride 8: (x, y) = (0,0), (1,0), (0,1), (1,1)
      [-16, -16, 16, 16], // P4
    ])
  })

  it('shifts cells by offset × stride when a centre offset is configured', () => {
    const anchors = { ...torchvisionAnchors, sizes: [[16]], aspectRatios: [1], offset: 0.5 }
    const grid = buildAnchorGrid(16, 16, [[2, 2]], anchors)
    expect(rows(materializeAnchors(grid))[3]).toEqual([4, 4, 20, 20]) // centre (8 + 4, 8 + 4)
  })

  it('refuses a feature map larger than the padded input', () => {
    const anchors = { ...torchvisionAnchors, sizes: [[16]], aspectRatios: [1] }
    expect(() => buildAnchorGrid(16, 16, [[32, 2]], anchors)).toThrow('the P3 feature map is 32×2, larger than the 16×16 padded input')
  })

  it('refuses level shapes that do not match the configured number of levels', () => {
    expect(() => buildAnchorGrid(16, 16, [[2, 2]], torchvisionAnchors)).toThrow(/1 pyramid levels but anchors.sizes lists 5/)
  })
})

describe('cachedAnchorGrid', () => {
  it('returns the same grid for the same padded size and config, and a new one when either changes', () => {
    const shapes = derivedLevelShapes(256, 320, 5)
    const first = cachedAnchorGrid(256, 320, shapes, torchvisionAnchors)
    expect(cachedAnchorGrid(256, 320, shapes, { ...torchvisionAnchors, sizes: TORCHVISION_SIZES })).toBe(first)
    expect(cachedAnchorGrid(256, 320, shapes, { ...torchvisionAnchors, rounding: 'none' })).not.toBe(first)
    expect(cachedAnchorGrid(320, 256, derivedLevelShapes(320, 256, 5), torchvisionAnchors)).not.toBe(first)
  })
})
