import { describe, expect, it } from 'vitest'
import { isWholeBuffer, TensorBuffers } from '../../../src-main/core/detect/tensor-buffers'

describe('TensorBuffers', () => {
  it('hands back a buffer of exactly the asked length, once', () => {
    const buffers = new TensorBuffers()
    const small = new Float32Array(10)
    const large = new Float32Array(20)
    buffers.give(small)
    buffers.give(large)
    expect(buffers.take(15)).toBeUndefined()
    expect(buffers.take(20)).toBe(large)
    expect(buffers.take(20)).toBeUndefined()
    expect(buffers.take(10)).toBe(small)
    expect(buffers.size).toBe(0)
  })

  it('keeps at most its limit, dropping the oldest', () => {
    const buffers = new TensorBuffers(2)
    const [first, second, third] = [new Float32Array(4), new Float32Array(4), new Float32Array(4)]
    buffers.give(first)
    buffers.give(second)
    buffers.give(third)
    expect(buffers.size).toBe(2)
    expect([buffers.take(4), buffers.take(4), buffers.take(4)]).toEqual([second, third, undefined])
  })

  it('refuses views of part of a buffer and empty arrays, which could alias memory in use', () => {
    const backing = new Float32Array(16)
    const buffers = new TensorBuffers()
    buffers.give(backing.subarray(4, 8))
    buffers.give(backing.subarray(0, 8))
    buffers.give(new Float32Array(0))
    expect(buffers.size).toBe(0)
    expect(isWholeBuffer(backing)).toBe(true)
    expect(isWholeBuffer(backing.subarray(1))).toBe(false)
  })
})
