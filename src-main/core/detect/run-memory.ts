/**
 * Memory a model's graph runs keep from one run to the next. A GPU batch is tens of MB in and
 * out; fresh memory costs the allocator's zeroing and a page fault per page on first write,
 * measured to cost more than the copies and conversions done in it.
 */
import { fromFloat16 } from './float16'
import { TensorBuffers } from './tensor-buffers'
import type { RawTensor } from './types'

/**
 * The memory of batch tensors, kept from run to run: a GPU batch of 16 images is tens of MB, and
 * allocating it anew each time means zero-filling it and collecting it again. Runs in flight at
 * once each hold their own (an inference thread has the next batch queued while one runs); what
 * is given back serves the next batch of the same size.
 */
export class BatchMemory {
  private readonly free: ArrayBuffer[] = []

  /** At most this many buffers are kept: the runs one detector has in flight, and one more. */
  constructor(private readonly limit = 3) {}

  /** `bytes` of memory holding stale data. */
  take(bytes: number): ArrayBuffer {
    const index = this.free.findIndex((buffer) => buffer.byteLength === bytes)
    return index < 0 ? new ArrayBuffer(bytes) : this.free.splice(index, 1)[0]!
  }

  /** The run that took `buffer` has finished with it. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return
    if (this.free.length >= this.limit) this.free.shift()
    this.free.push(buffer)
  }
}

/**
 * float32 copies of float16 outputs, kept for the next run once the caller hands them back
 * (DetectionModel.recycleOutputs): a detector's outputs are tens of MB a run, and fresh memory
 * costs a page fault per page on first write, more than the widening itself.
 */
export class WidenedOutputs {
  // One run's outputs: up to ten maps (the per-level layout), bounded in bytes.
  private readonly buffers = new TensorBuffers(10, 256 * 1024 * 1024)
  private readonly ours = new WeakSet<Float32Array>()

  widen(bits: Uint16Array): Float32Array {
    const out = fromFloat16(bits, this.buffers.take(bits.length))
    this.ours.add(out)
    return out
  }

  recycle(outputs: Record<string, RawTensor>): void {
    for (const { data } of Object.values(outputs)) {
      if (data instanceof Float32Array && this.ours.delete(data)) this.buffers.give(data)
    }
  }
}
