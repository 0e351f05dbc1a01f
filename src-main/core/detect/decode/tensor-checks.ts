/**
 * Finding and checking the raw output tensors, with messages that say which output, what shape
 * it has and what was expected, so a mismatched model config is fixed from the error alone.
 */
import type { InputFrame, RawTensor } from '../types'

export function formatDims(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`
}

export function requireOutput(outputs: Record<string, RawTensor>, name: string, role: string): RawTensor {
  const tensor = outputs[name]
  if (!tensor) {
    const available = Object.keys(outputs)
    throw new Error(
      `the model has no output named '${name}' (the ${role}); its outputs are: ${available.length ? available.join(', ') : '(none)'}`,
    )
  }
  const expected = tensor.dims.reduce((product, dim) => product * dim, 1)
  if (tensor.data.length !== expected) {
    throw new Error(`output '${name}' has ${tensor.data.length} values but its shape ${formatDims(tensor.dims)} needs ${expected}`)
  }
  return tensor
}

export function requireFloat(tensor: RawTensor, name: string): Float32Array | Float64Array {
  if (tensor.data instanceof Float32Array || tensor.data instanceof Float64Array) return tensor.data
  throw new Error(`output '${name}' must hold floating-point values, but holds ${tensor.data.constructor.name}`)
}

/** Checks rank and the fixed dimensions; `null` in `expected` accepts any size. */
export function requireShape(tensor: RawTensor, name: string, expected: ReadonlyArray<number | null>, meaning: string): void {
  const dims = tensor.dims
  const matches = dims.length === expected.length && expected.every((dim, axis) => dim === null || dims[axis] === dim)
  if (!matches) {
    const wanted = `[${expected.map((dim) => (dim === null ? '?' : String(dim))).join(', ')}]`
    throw new Error(`output '${name}' has shape ${formatDims(dims)}, expected ${wanted} (${meaning})`)
  }
}

/** One frame per batch item, all padded to the size of the batch tensor. */
export function requireFramesForBatch(frames: readonly InputFrame[], batch: number, name: string): void {
  if (frames.length !== batch) {
    throw new Error(`output '${name}' holds a batch of ${batch} but ${frames.length} input frame(s) were given`)
  }
  const first = frames[0]
  for (const frame of frames) {
    if (first && (frame.paddedWidth !== first.paddedWidth || frame.paddedHeight !== first.paddedHeight)) {
      throw new Error(
        `frames of one batch must share the padded size, got ${first.paddedWidth}×${first.paddedHeight} and ${frame.paddedWidth}×${frame.paddedHeight}`,
      )
    }
  }
}

/** A label tensor's values as numbers, whatever integer or float type the graph emits. */
export function labelAt(data: RawTensor['data'], index: number): number {
  const value = data[index]!
  return typeof value === 'bigint' ? Number(value) : value
}
