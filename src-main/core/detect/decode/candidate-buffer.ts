/**
 * Collecting the (score, index) pairs that pass the threshold: the one loop that reads every
 * score the model produced, so it is kept as a plain module-level function over a typed-array
 * view (no closure state, no bounds checks) and touches the buffer only for survivors.
 */

/** Growable parallel arrays of (raw score value, index within the level: anchor·K + class). */
export class CandidateBuffer {
  values: Float32Array
  indices: Int32Array
  count = 0

  constructor(capacity = 4096) {
    this.values = new Float32Array(capacity)
    this.indices = new Int32Array(capacity)
  }

  grow(): void {
    const values = new Float32Array(this.values.length * 2)
    const indices = new Int32Array(this.indices.length * 2)
    values.set(this.values)
    indices.set(this.indices)
    this.values = values
    this.indices = indices
  }
}

/**
 * Float32 scores are scanned through this module constant, a chunk at a time: V8 embeds a
 * constant typed array's data pointer and length in the optimized loop, while a typed array
 * passed as a parameter has both reloaded on every access. Copying a chunk (a memcpy) and
 * scanning it is faster than scanning the model's output in place.
 */
const SCAN_CHUNK = new Float32Array(16384)

/**
 * Appends every scores[i] >= bound to the buffer with index indexOffset + i·indexStride.
 * (Concat rows are already anchor·K + class, stride 1; a per-level channel map a·K + k is
 * strided by A·K per cell.)
 */
export function appendAtOrAbove(
  scores: Float32Array | Float64Array,
  bound: number,
  buffer: CandidateBuffer,
  indexOffset: number,
  indexStride: number,
): void {
  if (!(scores instanceof Float32Array)) {
    appendAtOrAboveDirect(scores, bound, buffer, indexOffset, indexStride)
    return
  }
  for (let start = 0; start < scores.length; start += SCAN_CHUNK.length) {
    const end = Math.min(scores.length, start + SCAN_CHUNK.length)
    SCAN_CHUNK.set(scores.subarray(start, end))
    appendChunkAtOrAbove(end - start, bound, buffer, indexOffset + start * indexStride, indexStride)
  }
}

/** appendAtOrAbove over SCAN_CHUNK[0..length). */
function appendChunkAtOrAbove(length: number, bound: number, buffer: CandidateBuffer, indexOffset: number, indexStride: number): void {
  let values = buffer.values
  let indices = buffer.indices
  let count = buffer.count
  for (let i = 0; i < length; i++) {
    const value = SCAN_CHUNK[i]!
    if (value >= bound) {
      if (count === values.length) {
        buffer.count = count
        buffer.grow()
        values = buffer.values
        indices = buffer.indices
      }
      values[count] = value
      indices[count] = indexOffset + i * indexStride
      count++
    }
  }
  buffer.count = count
}

/** The same scan in place: for float64 scores (a chunk of float32 would round them), and as the reference in tests. */
export function appendAtOrAboveDirect(
  scores: Float32Array | Float64Array,
  bound: number,
  buffer: CandidateBuffer,
  indexOffset: number,
  indexStride: number,
): void {
  let values = buffer.values
  let indices = buffer.indices
  let count = buffer.count
  for (let i = 0; i < scores.length; i++) {
    const value = scores[i]!
    if (value >= bound) {
      if (count === values.length) {
        buffer.count = count
        buffer.grow()
        values = buffer.values
        indices = buffer.indices
      }
      values[count] = value
      indices[count] = indexOffset + i * indexStride
      count++
    }
  }
  buffer.count = count
}
