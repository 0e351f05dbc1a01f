/**
 * Memory a model's graph runs keep from one run to the next. A GPU batch is tens of MB in and
 * out; fresh memory costs the allocator's zeroing and a page fault per page on first write,
 * measured to cost more than the copies and conversions done in it.
 */
import { fromFloat16 } from './float16'
import { TensorBuffers } from './tensor-buffers'
import type { RawTensor } from './types'

/**
 * The memory of one batch tensor, kept from run to run: a GPU batch of 16 images is tens of MB,
 * and allocating it anew each time means zero-filling it and collecting it again. A run that
 * starts while another still holds it gets fresh memory.
 */
export class BatchMemory {
  private floats = new Float32Array(0)
  private halves = new Uint16Array(0)
  private busy = false

  /** The kept memory, or null while another run holds it. */
  float32(length: number): Float32Array<ArrayBuffer> | null {
    if (this.busy) return null
    this.busy = true
    if (this.floats.length < length) this.floats = new Float32Array(length)
    return this.floats.subarray(0, length)
  }

  float16(length: number): Uint16Array<ArrayBuffer> | null {
    if (this.busy) return null
    this.busy = true
    if (this.halves.length < length) this.halves = new Uint16Array(length)
    return this.halves.subarray(0, length)
  }

  /** The run that took the memory has finished. Only its holder calls this. */
  release(): void {
    this.busy = false
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
