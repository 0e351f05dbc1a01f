/**
 * The RetinaNet post-processing shared by the dense layouts (one score per anchor and class):
 * per level, keep scores above the threshold and the top k of them, decode and clip their boxes;
 * then per-class NMS over all levels, keep the best maxDetections and map them to the original
 * frame. Only the layout-specific part — where a level's scores and deltas sit in memory — is
 * supplied by the layout (concat or per-level).
 */
import type { Detection, InputFrame, ModelConfig } from '../types'
import { type AnchorGrid, anchorAt } from './anchors'
import { createBoxCoder, decodeBox } from './box-coder'
import { logitThresholdF32, sigmoidF32 } from './float32'
import { CandidateBuffer } from './candidate-buffer'
import { buildDetections, clipBoxes, resizedToOriginalScale } from './frame-mapping'
import { batchedNms } from './nms'
import { partitionTopK, sortByValueThenIndex } from './top-k'

export interface DenseOutputs {
  grid: AnchorGrid
  numClasses: number
  scores: 'logits' | 'probabilities'
  /**
   * Appends to `buffer` every (value, anchor·K + class) of `level` in batch item `image` whose raw
   * value is >= `bound` (with appendAtOrAbove: it reads every score the model produced).
   */
  scanLevel(image: number, level: number, bound: number, buffer: CandidateBuffer): void
  /** Writes the regression outputs (dx, dy, dw, dh) of anchor `local` of `level` into out[0..3]. */
  readDeltas(image: number, level: number, local: number, out: Float32Array): void
}

/** For an empty batch: nothing to scan (decodeDense visits no image). */
export function outputsForNoImages(config: ModelConfig): DenseOutputs {
  return {
    grid: { paddedHeight: 0, paddedWidth: 0, levels: [], anchorCount: 0 },
    numClasses: config.numClasses,
    scores: 'logits',
    scanLevel: () => undefined,
    readDeltas: () => undefined,
  }
}

/**
 * The raw-value bound equivalent to "score > threshold" in float32: for logits the logit whose
 * sigmoid first exceeds it (no sigmoid in the scan), for probabilities the next float32 above it.
 */
export function scanBound(threshold: number, scores: 'logits' | 'probabilities'): number {
  if (scores === 'logits') return logitThresholdF32(threshold)
  const t = new Float32Array([threshold])
  if (Number.isNaN(t[0])) throw new Error(`score threshold must be a number, got ${threshold}`)
  if (t[0] === 0) return Math.fround(Number.MIN_VALUE)
  if (!Number.isFinite(t[0])) return t[0]! > 0 ? Infinity : -Infinity
  const bits = new Int32Array(t.buffer)
  // Adjacent float32 values differ by one in their bit pattern (towards zero for negatives).
  bits[0] = t[0]! > 0 ? bits[0]! + 1 : bits[0]! - 1
  return t[0]!
}

export function decodeDense(outputs: DenseOutputs, config: ModelConfig, frames: readonly InputFrame[]): Detection[][] {
  const { grid, numClasses } = outputs
  const post = config.postprocess
  const coder = createBoxCoder(config.boxCoder)
  const bound = scanBound(post.decodeCutoff, outputs.scores)
  const topK = Math.max(0, Math.floor(post.topKPerLevel))
  // At most topK per level, and never more than a level has scores (topKPerLevel may be huge).
  const capacity = grid.levels.reduce((sum, level) => sum + Math.min(topK, level.anchorCount * numClasses), 0)

  const buffer = new CandidateBuffer()
  let scratch = new Float32Array(buffer.values.length)
  const anchor = new Float32Array(4)
  const deltas = new Float32Array(4)
  const results: Detection[][] = []

  for (let image = 0; image < frames.length; image++) {
    const frame = frames[image]!
    const boxes = new Float32Array(capacity * 4)
    const scores = new Float32Array(capacity)
    const labels = new Int32Array(capacity)
    let count = 0

    for (let levelIndex = 0; levelIndex < grid.levels.length; levelIndex++) {
      const level = grid.levels[levelIndex]!
      buffer.count = 0
      outputs.scanLevel(image, levelIndex, bound, buffer)
      if (scratch.length < buffer.count) scratch = new Float32Array(buffer.values.length)
      const kept = partitionTopK(buffer.values, buffer.indices, buffer.count, topK, scratch)
      const levelScores = buffer.values
      if (outputs.scores === 'logits') for (let i = 0; i < kept; i++) levelScores[i] = sigmoidF32(levelScores[i]!)
      sortByValueThenIndex(levelScores, buffer.indices, kept)

      const levelStart = count
      for (let i = 0; i < kept; i++) {
        const flat = buffer.indices[i]!
        const classIndex = flat % numClasses
        const local = (flat - classIndex) / numClasses
        anchorAt(level, local, anchor)
        outputs.readDeltas(image, levelIndex, local, deltas)
        decodeBox(coder, deltas[0]!, deltas[1]!, deltas[2]!, deltas[3]!, anchor, boxes, count * 4)
        scores[count] = levelScores[i]!
        labels[count] = classIndex
        count++
      }
      if (post.clip === 'resized') {
        clipBoxes(boxes, levelStart, count, frame.resizedWidth, frame.resizedHeight, config.boxCoder.plusOne)
      }
    }

    const keep = batchedNms(boxes, scores, labels, count, {
      iouThreshold: post.nmsIou,
      plusOne: post.nmsPlusOne,
      maxKeep: post.maxDetections,
    })
    results.push(buildDetections(keep, boxes, scores, labels, resizedToOriginalScale(frame), frame, post))
  }
  return results
}
