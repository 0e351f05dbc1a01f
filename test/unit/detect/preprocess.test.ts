import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { DecodedImage } from '../../../src-main/core/images/decode-image'
import { bilinearAxisTable, inputFrameFor, prepareImage, resizedSize } from '../../../src-main/core/detect/preprocess'
import type { InputConfig } from '../../../src-main/core/detect/types'

/** Written by tools/golden/resize_fixtures.py from torchvision's GeneralizedRCNNTransform. */
const fixtureDir = fileURLToPath(new URL('../../fixtures/resize/', import.meta.url))

interface ResizeCase {
  name: string
  width: number
  height: number
  minSize: number
  maxSize: number
  resizedWidth: number
  resizedHeight: number
  paddedWidth: number
  paddedHeight: number
}
const fixtures = JSON.parse(readFileSync(fixtureDir + 'cases.json', 'utf8')) as {
  mean: [number, number, number]
  std: [number, number, number]
  padMultiple: number
  cases: ResizeCase[]
}

function readBytes(name: string): Uint8Array {
  const buffer = readFileSync(fixtureDir + name)
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

function readFloats(name: string): Float32Array {
  const bytes = readFileSync(fixtureDir + name)
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

function torchvisionInput(minSize: number, maxSize: number, overrides: Partial<InputConfig> = {}): InputConfig {
  return {
    name: null,
    resize: { mode: 'torchvision', minSize, maxSize },
    channelOrder: 'RGB',
    scale: 1 / 255,
    mean: fixtures.mean,
    std: fixtures.std,
    padMultiple: fixtures.padMultiple,
    padValue: 0,
    batchAxis: true,
    ...overrides,
  }
}

function image(width: number, height: number, pixel: (x: number, y: number, channel: number) => number): DecodedImage {
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = pixel(x, y, c)
    }
  }
  return { data, width, height, orientation: 1, format: 'raw' }
}

describe('torchvision resize against torch 1.13 output', () => {
  for (const testCase of fixtures.cases) {
    it(`${testCase.name}: ${testCase.width}×${testCase.height} → ${testCase.resizedWidth}×${testCase.resizedHeight}, bit for bit`, () => {
      const source: DecodedImage = {
        data: readBytes(`${testCase.name}.input.u8`),
        width: testCase.width,
        height: testCase.height,
        orientation: 1,
        format: 'raw',
      }
      const expected = readFloats(`${testCase.name}.output.f32`)
      const prepared = prepareImage(source, torchvisionInput(testCase.minSize, testCase.maxSize))

      expect(prepared.frame).toEqual({
        originalWidth: testCase.width,
        originalHeight: testCase.height,
        resizedWidth: testCase.resizedWidth,
        resizedHeight: testCase.resizedHeight,
        paddedWidth: testCase.paddedWidth,
        paddedHeight: testCase.paddedHeight,
      })
      expect(prepared.data.length).toBe(expected.length)
      let mismatches = 0
      for (let i = 0; i < expected.length; i++) if (prepared.data[i] !== expected[i]) mismatches++
      expect(mismatches).toBe(0)
    })
  }

  it('computes the scale in float32 through a reciprocal, as torch does (100×20, maxSize 60 → 59 columns)', () => {
    expect(resizedSize(100, 20, { mode: 'torchvision', minSize: 30, maxSize: 60 })).toEqual({ width: 59, height: 11 })
  })

  it('samples with the recomputed ratio in/out, not the requested scale', () => {
    // 45 → 94 columns: the requested scale is 61/29 ≈ 2.1034 but the kernel samples with 45/94.
    const table = bilinearAxisTable(45, 94)
    const ratio = Math.fround(45 / 94)
    const source = ratio * (10 + 0.5) - 0.5
    expect(table.index0[10]).toBe(Math.floor(source))
    expect(table.weight1[10]).toBe(Math.fround(source - Math.floor(source)))
    expect(table.weight0[10]).toBe(Math.fround(1 - table.weight1[10]!))
  })
})

describe('normalization', () => {
  it('normalizes before resizing: a flat image stays exactly (v/255 − mean)/std in float32 after resizing', () => {
    const flat = image(7, 5, (_x, _y, c) => [200, 100, 30][c]!)
    const prepared = prepareImage(flat, torchvisionInput(11, 100))
    const plane = prepared.frame.paddedWidth * prepared.frame.paddedHeight
    for (let c = 0; c < 3; c++) {
      const value = [200, 100, 30][c]!
      const expected = Math.fround(Math.fround(Math.fround(value / 255) - Math.fround(fixtures.mean[c]!)) / Math.fround(fixtures.std[c]!))
      // Every resized pixel is a blend of equal values whose weights sum to one.
      const inside = prepared.data[c * plane + 3 * prepared.frame.paddedWidth + 4]!
      expect(Math.abs(inside - expected)).toBeLessThanOrEqual(Math.abs(expected) * 2 ** -22)
    }
  })

  it('applies scale, mean and std per tensor channel in BGR order', () => {
    const pixel = image(2, 1, (_x, _y, c) => [10, 20, 30][c]!)
    const prepared = prepareImage(pixel, {
      ...torchvisionInput(1, 1),
      resize: { mode: 'none' },
      channelOrder: 'BGR',
      scale: 1,
      mean: [103.53, 116.28, 123.675],
      std: [1, 2, 4],
      padMultiple: 1,
    })
    expect(Array.from(prepared.data)).toEqual([
      Math.fround(30 - Math.fround(103.53)), Math.fround(30 - Math.fround(103.53)),
      Math.fround(Math.fround(20 - Math.fround(116.28)) / 2), Math.fround(Math.fround(20 - Math.fround(116.28)) / 2),
      Math.fround(Math.fround(10 - Math.fround(123.675)) / 4), Math.fround(Math.fround(10 - Math.fround(123.675)) / 4),
    ])
  })

  it('multiplies by scale when it is not the reciprocal of an integer', () => {
    const pixel = image(1, 1, () => 100)
    const prepared = prepareImage(pixel, { ...torchvisionInput(1, 1), resize: { mode: 'none' }, scale: 0.3, mean: [0, 0, 0], std: [1, 1, 1], padMultiple: 1 })
    expect(prepared.data[0]).toBe(Math.fround(100 * Math.fround(0.3)))
  })
})

describe('padding', () => {
  it('pads bottom and right to the multiple with padValue, leaving the image at the top-left', () => {
    const source = image(5, 3, (x, y) => 10 * y + x)
    const prepared = prepareImage(source, {
      ...torchvisionInput(1, 1),
      resize: { mode: 'none' },
      scale: 1,
      mean: [0, 0, 0],
      std: [1, 1, 1],
      padMultiple: 4,
      padValue: -7,
    })
    expect(prepared.frame).toMatchObject({ resizedWidth: 5, resizedHeight: 3, paddedWidth: 8, paddedHeight: 4 })
    const row = (channel: number, y: number) => Array.from(prepared.data.subarray(channel * 32 + y * 8, channel * 32 + y * 8 + 8))
    expect(row(0, 0)).toEqual([0, 1, 2, 3, 4, -7, -7, -7])
    expect(row(2, 2)).toEqual([20, 21, 22, 23, 24, -7, -7, -7])
    expect(row(1, 3)).toEqual([-7, -7, -7, -7, -7, -7, -7, -7])
  })
})

describe('letterbox and fixed sizes', () => {
  const plain = { ...torchvisionInput(1, 1), scale: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number], padMultiple: 1, padValue: 114 }

  it('letterbox keeps the aspect ratio, fits inside the box and pads the rest', () => {
    const frame = inputFrameFor(400, 100, { ...plain, resize: { mode: 'letterbox', width: 64, height: 64 } })
    expect(frame).toEqual({ originalWidth: 400, originalHeight: 100, resizedWidth: 64, resizedHeight: 16, paddedWidth: 64, paddedHeight: 64 })
    const prepared = prepareImage(image(400, 100, () => 50), { ...plain, resize: { mode: 'letterbox', width: 64, height: 64 } })
    expect(prepared.data[15 * 64 + 63]).toBe(50)
    expect(prepared.data[16 * 64]).toBe(114)
    expect(prepared.data[63 * 64 + 63]).toBe(114)
  })

  it('letterbox of a portrait image pads on the right', () => {
    const frame = inputFrameFor(30, 90, { ...plain, resize: { mode: 'letterbox', width: 60, height: 60 } })
    expect(frame).toMatchObject({ resizedWidth: 20, resizedHeight: 60, paddedWidth: 60, paddedHeight: 60 })
  })

  it('fixed stretches to exactly the requested size', () => {
    const source = image(8, 2, (x) => x * 30)
    const prepared = prepareImage(source, { ...plain, resize: { mode: 'fixed', width: 4, height: 4 } })
    expect(prepared.frame).toMatchObject({ resizedWidth: 4, resizedHeight: 4, paddedWidth: 4, paddedHeight: 4 })
    // Halving the width samples between columns 2k and 2k+1 with weights ½, ½.
    expect(Array.from(prepared.data.subarray(0, 4))).toEqual([15, 75, 135, 195])
  })
})
