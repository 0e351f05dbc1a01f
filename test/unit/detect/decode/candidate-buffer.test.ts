/**
 * The threshold scans (WebAssembly SIMD, and the JavaScript chunked loop where that cannot run)
 * against the plain in-place loop: the same
 * candidates, values and indices in the same order, for scores exactly at the bound, ±0, NaN
 * and infinities, across chunk boundaries, with strides and offsets, and when the buffer grows.
 */
import { describe, expect, it } from 'vitest'
import { appendAtOrAbove, appendAtOrAboveChunked, appendAtOrAboveDirect, CandidateBuffer } from '../../../../src-main/core/detect/decode/candidate-buffer'
import { simdScanAvailable } from '../../../../src-main/core/detect/decode/threshold-scan'
import { logitThresholdF32 } from '../../../../src-main/core/detect/decode/float32'
import { seededRandom } from '../../../helpers/seeded-random'

function scores(next: () => number, length: number, bound: number): Float32Array {
  const special = [bound, Math.fround(bound), 0, -0, NaN, Infinity, -Infinity, bound + 1e-7, bound - 1e-7]
  const data = new Float32Array(length)
  const density = next() < 0.2 ? 0.5 : 0.002
  for (let i = 0; i < length; i++) {
    const roll = next()
    data[i] = roll < density ? special[Math.floor(next() * special.length)]! : roll < 2 * density ? bound + next() * 4 : bound - 0.01 - next() * 8
  }
  return data
}

function collect(scan: typeof appendAtOrAbove, data: Float32Array | Float64Array, bound: number, offset: number, stride: number, capacity: number, prefill: number): [number[], number[]] {
  const buffer = new CandidateBuffer(capacity)
  for (let i = 0; i < prefill; i++) {
    buffer.values[i] = -i
    buffer.indices[i] = i
  }
  buffer.count = prefill
  scan(data, bound, buffer, offset, stride)
  return [Array.from(buffer.values.subarray(0, buffer.count)), Array.from(buffer.indices.subarray(0, buffer.count))]
}

describe('appendAtOrAbove', () => {
  const threshold = logitThresholdF32(0.05)
  const lengths = [0, 1, 5, 16383, 16384, 16385, 2 * 16384 + 17, 134_400]

  it('runs the WebAssembly SIMD scan here (so the tests exercise it)', () => {
    expect(simdScanAvailable).toBe(true)
  })

  it('finds what the plain loop finds, in the same order, on 160 random score maps (both scans)', () => {
    for (let seed = 1; seed <= 160; seed++) {
      const next = seededRandom(seed)
      const length = lengths[seed % lengths.length]!
      // Float32 bounds take the SIMD scan; a bound between two float32 values (0.1) takes the JavaScript one.
      const bound = [threshold, Math.fround(next() * 4 - 2), 0, 0.1][seed % 4]!
      const data = scores(next, length, bound)
      const offset = Math.floor(next() * 50)
      const stride = 1 + Math.floor(next() * 45)
      const capacity = next() < 0.5 ? 1 : 4096
      const prefill = Math.min(capacity - 1, Math.floor(next() * 3))
      const expected = collect(appendAtOrAboveDirect, data, bound, offset, stride, capacity, prefill)
      expect(collect(appendAtOrAbove, data, bound, offset, stride, capacity, prefill), `seed ${seed}`).toEqual(expected)
      const chunked = (scores: Float32Array | Float64Array, ...rest: [number, CandidateBuffer, number, number]) => appendAtOrAboveChunked(scores as Float32Array, ...rest)
      expect(collect(chunked, data, bound, offset, stride, capacity, prefill), `seed ${seed}, JavaScript scan`).toEqual(expected)
    }
  })

  it('keeps a score exactly at the bound and drops the next float32 below it', () => {
    const below = new Float32Array([threshold])
    new Int32Array(below.buffer)[0]! += threshold < 0 ? 1 : -1
    const data = new Float32Array(20_000).fill(-10)
    data[3] = threshold
    data[16_384] = threshold
    data[16_385] = below[0]!
    const [values, indices] = collect(appendAtOrAbove, data, threshold, 0, 1, 16, 0)
    expect(indices).toEqual([3, 16_384])
    expect(values).toEqual([threshold, threshold])
  })

  it('compares float64 scores without rounding them first', () => {
    const bound = 0.1
    const data = new Float64Array([0.1, 0.09999999999999999, Math.fround(0.1), 0.2])
    // fround(0.1) is above 0.1 in double; 0.09999999999999999 is below, though it rounds to float32 0.1.
    expect(collect(appendAtOrAbove, data, bound, 0, 1, 8, 0)[1]).toEqual([0, 2, 3])
  })
})
