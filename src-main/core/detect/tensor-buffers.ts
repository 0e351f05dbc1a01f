/**
 * Input tensors handed back after their graph run, reused for the next images of the same size.
 * A photo's tensor is megabytes; allocating a fresh one per image costs the allocator's zeroing
 * and the kernel's page faults on every page, a measurable share of preparing an image
 * (`npm run bench -- detect`). A folder of same-sized photos cycles through a few buffers.
 */

/** Buffers kept at most: enough for the images prepared ahead plus a batch in flight. */
const DEFAULT_LIMIT = 16
/** Bytes kept at most, so that a detector left open after a run of large photos holds little. */
const DEFAULT_BYTE_LIMIT = 64 * 1024 * 1024

export class TensorBuffers {
  private readonly free: Float32Array[] = []
  private bytes = 0

  constructor(
    private readonly limit = DEFAULT_LIMIT,
    private readonly byteLimit = DEFAULT_BYTE_LIMIT,
  ) {}

  /** A buffer of exactly `length` values holding stale data, or undefined when none is free. */
  take(length: number): Float32Array | undefined {
    const index = this.free.findIndex((buffer) => buffer.length === length)
    if (index < 0) return undefined
    const [buffer] = this.free.splice(index, 1)
    this.bytes -= buffer!.byteLength
    return buffer
  }

  /**
   * Keeps `buffer` for reuse. Only whole buffers (a view of part of an ArrayBuffer could
   * overlap memory still in use), and within the limits, dropping the oldest.
   */
  give(buffer: Float32Array): void {
    if (!isWholeBuffer(buffer) || buffer.length === 0 || buffer.byteLength > this.byteLimit) return
    while (this.free.length > 0 && (this.free.length >= this.limit || this.bytes + buffer.byteLength > this.byteLimit)) {
      this.bytes -= this.free.shift()!.byteLength
    }
    this.free.push(buffer)
    this.bytes += buffer.byteLength
  }

  get size(): number {
    return this.free.length
  }
}

/** True when the array spans its whole ArrayBuffer (so nothing else can be a view of it). */
export function isWholeBuffer(array: Float32Array): boolean {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength
}
