/**
 * Top-k over parallel (value, index) typed arrays without sorting everything: a quickselect finds
 * the k-th largest value, one pass keeps what beats it, and only the k kept are sorted.
 *
 * Ties. torch.topk leaves the order of equal values to libstdc++'s partial_sort/nth_element, which
 * is not a specification anyone can reproduce; we use a deterministic rule instead: larger value
 * first, and among equal values the lower index (for dense outputs, anchor·K + class) first. That is
 * the order a stable sort gives, and the order torchvision's NMS (a stable sort) sees its input in.
 */

/** The k-th largest (1-based) of values[0..count-1]. Reorders `scratch`, which must hold count values. */
export function kthLargest(values: Float32Array, count: number, k: number, scratch: Float32Array): number {
  if (k < 1 || k > count) throw new Error(`k must be between 1 and ${count}, got ${k}`)
  scratch.set(values.subarray(0, count))
  let left = 0
  let right = count - 1
  const target = k - 1 // position in descending order
  while (right > left) {
    // Median of three as pivot keeps sorted and reverse-sorted input linear.
    const middle = (left + right) >>> 1
    const a = scratch[left]!
    const b = scratch[middle]!
    const c = scratch[right]!
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b
    let i = left
    let j = right
    while (i <= j) {
      while (scratch[i]! > pivot) i++
      while (scratch[j]! < pivot) j--
      if (i <= j) {
        const swap = scratch[i]!
        scratch[i] = scratch[j]!
        scratch[j] = swap
        i++
        j--
      }
    }
    // Now [left..j] >= pivot >= [i..right], and anything strictly between j and i equals pivot.
    if (target <= j) right = j
    else if (target >= i) left = i
    else return pivot
  }
  return scratch[target]!
}

/**
 * Moves the top `k` (value, index) pairs into positions 0..kept-1, unordered, and returns kept =
 * min(k, count). Among pairs equal to the k-th value, the lowest indices are kept.
 */
export function partitionTopK(values: Float32Array, indices: Int32Array, count: number, k: number, scratch: Float32Array): number {
  if (count <= k) return count
  if (k <= 0) return 0
  const threshold = kthLargest(values, count, k, scratch)
  let kept = 0
  // Indices of values equal to the threshold, captured before the in-place compaction overwrites them.
  const tieIndices: number[] = []
  for (let i = 0; i < count; i++) {
    const value = values[i]!
    if (value > threshold) {
      values[kept] = value
      indices[kept] = indices[i]!
      kept++
    } else if (value === threshold) {
      tieIndices.push(indices[i]!)
    }
  }
  const needed = k - kept
  if (tieIndices.length > needed) tieIndices.sort((p, q) => p - q)
  for (let t = 0; t < needed; t++) {
    values[kept] = threshold
    indices[kept] = tieIndices[t]!
    kept++
  }
  return kept
}

/** Sorts values[0..count-1] (with their indices) by value descending, then index ascending. */
export function sortByValueThenIndex(values: Float32Array, indices: Int32Array, count: number): void {
  const order = new Int32Array(count)
  for (let i = 0; i < count; i++) order[i] = i
  order.sort((p, q) => values[q]! - values[p]! || indices[p]! - indices[q]!)
  const sortedValues = new Float32Array(count)
  const sortedIndices = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    const p = order[i]!
    sortedValues[i] = values[p]!
    sortedIndices[i] = indices[p]!
  }
  values.set(sortedValues)
  indices.set(sortedIndices)
}
