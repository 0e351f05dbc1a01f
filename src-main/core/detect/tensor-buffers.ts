/**
 * Input tensors handed back after their graph run, reused for the next images of the same size.
 * A photo's tensor is megabytes; allocating a fresh one per image costs the allocator's zeroing
 * and the kernel's page faults on every page, a measurable share of preparing an image
 * (`npm run bench -- detect`). A folder of same-sized photos cycles through a few buffers.
 */

/** Buffers kept at most: enough for the images prepared ahead plus a batch in flight. */
const DEFAULT_LIMIT = 16

export class TensorBuffers {
  private readonly free: Float32Array[] = []

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  /** A buffer of exactly `length` values holding stale data, or undefined when none is free. */
  take(length: number): Float32Array | undefined {
    const index = this.free.findIndex((buffer) => buffer.length === length)
    if (index < 0) return undefined
    const [buffer] = this.free.splice(index, 1)
    return buffer
  }

  /**
   * Keeps `buffer` for reuse. Only whole buffers (a view of part of an ArrayBuffer could
   * overlap memory still in use) and only while below the limit, dropping the oldest.
   */
  give(buffer: Float32Array): void {
    if (!isWholeBuffer(buffer) || buffer.length === 0) return
    if (this.free.length >= this.limit) this.free.shift()
    this.free.push(buffer)
  }

  get size(): number {
    return this.free.length
  }
}

/** True when the array spans its whole ArrayBuffer (so nothing else can be a view of it). */
export function isWholeBuffer(array: Float32Array): boolean {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength
}
