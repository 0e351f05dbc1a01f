/**
 * The fast preprocessing kernels (bilinear-wasm.ts, which prepareImage uses, and the JavaScript
 * ones in bilinear-resize.ts; cached tables in preprocess.ts) against the straightforward
 * implementation they replaced (reference/preprocess-reference.ts): the same float32 bits for
 * every pixel, on random images of many sizes, every resize mode, both channel orders, integer
 * and non-integer scales, recycled tensors. preprocess.test.ts checks prepareImage against torch.
 */
import { describe, expect, it } from 'vitest'
import { FAST_KERNEL_MAX_WIDTH, resizeNormalized, resizeNormalizedGeneral, type NormalizationTables, type ResizeTarget } from '../../../src-main/core/detect/bilinear-resize'
import { resizeNormalizedWasm, wasmKernelVariant } from '../../../src-main/core/detect/bilinear-wasm'
import { prepareImage } from '../../../src-main/core/detect/preprocess'
import type { InputConfig, ResizePolicy } from '../../../src-main/core/detect/types'
import type { DecodedImage } from '../../../src-main/core/images/decode-image'
import { prepareImageReference } from './reference/preprocess-reference'
import { seededRandom } from '../../helpers/seeded-random'

function randomImage(next: () => number, width: number, height: number): DecodedImage {
  const data = new Uint8Array(width * height * 3)
  // Flat areas, extremes and noise: equal neighbours and 0/255 exercise the table ends.
  const mode = Math.floor(next() * 3)
  for (let i = 0; i < data.length; i++) data[i] = mode === 0 ? Math.floor(next() * 256) : mode === 1 ? (next() < 0.5 ? 0 : 255) : Math.floor(i / 97) % 256
  return { data, width, height, orientation: 1, format: 'raw' }
}

function randomInput(next: () => number, width: number, height: number): InputConfig {
  const pick = <T>(options: T[]): T => options[Math.floor(next() * options.length)]!
  const side = () => 1 + Math.floor(next() * 160)
  const resize: ResizePolicy = pick<ResizePolicy>([
    { mode: 'torchvision', minSize: side(), maxSize: side() + 40 },
    { mode: 'torchvision', minSize: Math.min(width, height), maxSize: 10_000 },
    { mode: 'fixed', width: side(), height: side() },
    { mode: 'letterbox', width: side(), height: side() },
    { mode: 'none' },
  ])
  return {
    name: null,
    resize,
    channelOrder: pick(['RGB', 'BGR'] as const),
    scale: pick([1 / 255, 1, 0.3]),
    mean: pick([[0.485, 0.456, 0.406], [103.53, 116.28, 123.675], [0, 0, 0]] as Array<[number, number, number]>),
    std: pick([[0.229, 0.224, 0.225], [58.395, 57.12, 57.375], [1, 1, 1]] as Array<[number, number, number]>),
    padMultiple: pick([1, 8, 32]),
    padValue: pick([0, 0, -1.5, 114]),
    batchAxis: true,
  }
}

function firstDifference(actual: Float32Array, expected: Float32Array): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} instead of ${expected.length}`
  for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) return `value ${i}: ${actual[i]} instead of ${expected[i]}`
  return null
}

describe('fast preprocessing gives the reference implementation’s bits', () => {
  it('on 300 random images, sizes and input configs', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed)
      const width = 1 + Math.floor(next() * 120)
      const height = 1 + Math.floor(next() * 120)
      const source = randomImage(next, width, height)
      const input = randomInput(next, width, height)
      const expected = prepareImageReference(source, input)
      const actual = prepareImage(source, input)
      expect(actual.frame, `seed ${seed}`).toEqual(expected.frame)
      expect(firstDifference(actual.data, expected.data), `seed ${seed}: ${width}×${height} ${JSON.stringify(input.resize)}`).toBeNull()
    }
  })

  it('on photo-sized images shrunk and enlarged the way the bundled and torchvision configs do', () => {
    const next = seededRandom(7)
    const cases: Array<[number, number, ResizePolicy]> = [
      [640, 480, { mode: 'torchvision', minSize: 320, maxSize: 512 }],
      [480, 640, { mode: 'torchvision', minSize: 320, maxSize: 512 }],
      [333, 251, { mode: 'torchvision', minSize: 800, maxSize: 1333 }],
      [1000, 90, { mode: 'torchvision', minSize: 800, maxSize: 1333 }],
      [700, 500, { mode: 'fixed', width: 100, height: 600 }],
    ]
    for (const [width, height, resize] of cases) {
      const source = randomImage(next, width, height)
      const input: InputConfig = { ...randomInput(next, width, height), resize }
      expect(firstDifference(prepareImage(source, input).data, prepareImageReference(source, input).data), `${width}×${height}`).toBeNull()
    }
  })

  it('keeps giving the same bits when image sizes and configs alternate (cached tables)', () => {
    const next = seededRandom(99)
    const inputs = [0, 1, 2].map(() => randomInput(next, 50, 40))
    const sources = [randomImage(next, 50, 40), randomImage(next, 73, 31), randomImage(next, 50, 40)]
    for (let round = 0; round < 3; round++) {
      for (const [index, source] of sources.entries()) {
        const input = inputs[(index + round) % inputs.length]!
        expect(firstDifference(prepareImage(source, input).data, prepareImageReference(source, input).data)).toBeNull()
      }
    }
  })

  it('notices a config object edited after use (the normalization tables are rebuilt)', () => {
    const next = seededRandom(5)
    const source = randomImage(next, 30, 20)
    const input: InputConfig = { ...randomInput(next, 30, 20), resize: { mode: 'fixed', width: 17, height: 11 }, mean: [0.5, 0.5, 0.5] }
    prepareImage(source, input)
    input.mean = [0.1, 0.2, 0.3]
    input.channelOrder = input.channelOrder === 'RGB' ? 'BGR' : 'RGB'
    expect(firstDifference(prepareImage(source, input).data, prepareImageReference(source, input).data)).toBeNull()
  })

  it('fills a recycled tensor holding another image’s values exactly as a fresh one (200 random cases)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = seededRandom(5000 + seed)
      const width = 1 + Math.floor(next() * 80)
      const height = 1 + Math.floor(next() * 80)
      const source = randomImage(next, width, height)
      const input = randomInput(next, width, height)
      const expected = prepareImageReference(source, input)
      const dirty = new Float32Array(expected.data.length).map(() => next() * 1000 - 500)
      if (next() < 0.2) dirty[dirty.length - 1] = NaN
      const actual = prepareImage(source, input, dirty)
      expect(actual.data, `seed ${seed}`).toBe(dirty)
      expect(firstDifference(actual.data, expected.data), `seed ${seed}: ${width}×${height} ${JSON.stringify(input.resize)}`).toBeNull()
    }
  })

  it('allocates a new tensor when the recycled one has another length', () => {
    const next = seededRandom(3)
    const source = randomImage(next, 20, 10)
    const input: InputConfig = { ...randomInput(next, 20, 10), resize: { mode: 'none' }, padMultiple: 1 }
    const wrongSize = new Float32Array(599).fill(7)
    const prepared = prepareImage(source, input, wrongSize)
    expect(prepared.data).not.toBe(wrongSize)
    expect(firstDifference(prepared.data, prepareImageReference(source, input).data)).toBeNull()
  })

  it('runs the WebAssembly kernel here (so the tests above exercise it)', () => {
    expect(resizeNormalizedWasm).not.toBeNull()
  })

  it('each kernel (WebAssembly with and without SIMD, JavaScript, JavaScript for very wide rows) gives the reference’s bits on 60 random resizes', () => {
    expect(FAST_KERNEL_MAX_WIDTH).toBeGreaterThanOrEqual(8192)
    const withSimd = wasmKernelVariant(true)
    const scalar = wasmKernelVariant(false)
    expect(scalar).not.toBeNull()
    const kernels: Array<[string, (pixels: Uint8Array, width: number, height: number, tables: NormalizationTables, target: ResizeTarget) => void]> = [
      ['WebAssembly', resizeNormalizedWasm!],
      ['WebAssembly without SIMD', scalar!],
      // Engines without SIMD (V8 on a CPU without SSE4.1) cannot build this one; the scalar one above stands in.
      ...(withSimd ? [['WebAssembly with SIMD', withSimd] as [string, typeof resizeNormalized]] : []),
      ['JavaScript', resizeNormalized],
      ['JavaScript, general', resizeNormalizedGeneral],
    ]
    for (let seed = 1; seed <= 60; seed++) {
      const next = seededRandom(1000 + seed)
      const width = 1 + Math.floor(next() * 90)
      const height = 1 + Math.floor(next() * 90)
      const source = randomImage(next, width, height)
      const resize: ResizePolicy = { mode: 'fixed', width: 1 + Math.floor(next() * 90), height: 1 + Math.floor(next() * 90) }
      const input: InputConfig = { ...randomInput(next, width, height), resize, padValue: 0 }
      const expected = prepareImageReference(source, input)
      if (expected.frame.resizedWidth === width && expected.frame.resizedHeight === height) continue // a plain copy, no kernel
      const lookup = [0, 1, 2].map((channel) => tableFor(input, channel)) as [Float32Array, Float32Array, Float32Array]
      const order = input.channelOrder === 'RGB' ? ([0, 1, 2] as [number, number, number]) : ([2, 1, 0] as [number, number, number])
      for (const [name, kernel] of kernels) {
        const out = new Float32Array(expected.data.length)
        kernel(source.data, width, height, { lookup, source: order }, {
          out,
          outWidth: expected.frame.resizedWidth,
          outHeight: expected.frame.resizedHeight,
          paddedWidth: expected.frame.paddedWidth,
          paddedHeight: expected.frame.paddedHeight,
        })
        expect(firstDifference(out, expected.data), `${name}, seed ${seed}`).toBeNull()
      }
    }
  })

  it('the WebAssembly kernel handles rows wider than its memory so far (it grows), then small ones again', () => {
    const next = seededRandom(77)
    for (const [width, height, outWidth, outHeight] of [[6000, 3, 9000, 2], [30, 20, 11, 7], [20000, 2, 3, 5]] as const) {
      const source = randomImage(next, width, height)
      const input: InputConfig = { ...randomInput(next, width, height), resize: { mode: 'fixed', width: outWidth, height: outHeight }, padValue: 0 }
      expect(firstDifference(prepareImage(source, input).data, prepareImageReference(source, input).data), `${width}×${height}`).toBeNull()
    }
  })
})

/** One channel's lookup table, read back from a 256×1 image prepared without resizing. */
function tableFor(input: InputConfig, channel: number): Float32Array {
  const data = new Uint8Array(256 * 3)
  for (let value = 0; value < 256; value++) data.fill(value, value * 3, value * 3 + 3)
  const prepared = prepareImageReference({ data, width: 256, height: 1, orientation: 1, format: 'raw' }, { ...input, resize: { mode: 'none' }, padMultiple: 1 })
  return prepared.data.slice(channel * 256, channel * 256 + 256)
}
