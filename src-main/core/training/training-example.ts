/**
 * One image as the head trainer sees it: the tower features of both heads (from the base
 * model's frozen layers), the anchors of its padded input size and its ground truth in that
 * same frame, after any augmentation (horizontal flip, scale jitter).
 */
import { buildAnchorGrid, materializeAnchors } from '../detect/decode/anchors'
import type { AnchorConfig, InputFrame } from '../detect/types'
import type { ImageTargets } from './detection-loss'
import type { LevelFeatures } from './head-layer'

/** A reviewed image's labels in displayed-image pixels, with the trained class index of each. */
export interface LabelledImage {
  path: string
  /** The image's path inside the project (stable across machines: the held-out split hashes it). */
  name: string
  /** [G × 4] x1, y1, x2, y2 in the displayed image's pixels. */
  boxes: Float32Array
  /** [G] index into the trained classes. */
  classes: Int32Array
}

export interface Augmentation {
  flip: boolean
  /** Multiplies the model's resize (1 = the size the model detects at). */
  scale: number
}

export const NO_AUGMENTATION: Augmentation = { flip: false, scale: 1 }

export interface TrainingExample {
  classFeatures: LevelFeatures[]
  boxFeatures: LevelFeatures[]
  anchors: Float32Array
  targets: ImageTargets
  frame: InputFrame
}

/**
 * Ground truth from displayed pixels into the resized input: scaled per axis as the resize
 * scaled the image, and mirrored when the image was flipped (the flip happens before resizing,
 * so x → width − x in displayed pixels).
 */
export function targetsInFrame(image: LabelledImage, frame: InputFrame, flip: boolean): ImageTargets {
  const scaleX = frame.resizedWidth / frame.originalWidth
  const scaleY = frame.resizedHeight / frame.originalHeight
  const boxes = new Float32Array(image.boxes.length)
  for (let i = 0; i < image.boxes.length; i += 4) {
    const x1 = flip ? frame.originalWidth - image.boxes[i + 2]! : image.boxes[i]!
    const x2 = flip ? frame.originalWidth - image.boxes[i]! : image.boxes[i + 2]!
    boxes[i] = x1 * scaleX
    boxes[i + 1] = image.boxes[i + 1]! * scaleY
    boxes[i + 2] = x2 * scaleX
    boxes[i + 3] = image.boxes[i + 3]! * scaleY
  }
  return { boxes, classes: image.classes }
}

const anchorCache = new Map<string, Float32Array>()

/** The anchors of every level for these feature sizes (torchvision's derived strides), cached per size. */
export function anchorsFor(frame: InputFrame, levels: readonly LevelFeatures[], config: AnchorConfig): Float32Array {
  const shapes = levels.map((level) => [level.height, level.width] as [number, number])
  const key = JSON.stringify([frame.paddedHeight, frame.paddedWidth, shapes, config])
  let anchors = anchorCache.get(key)
  if (!anchors) {
    anchors = materializeAnchors(buildAnchorGrid(frame.paddedHeight, frame.paddedWidth, shapes, config))
    if (anchorCache.size > 32) anchorCache.clear()
    anchorCache.set(key, anchors)
  }
  return anchors
}
