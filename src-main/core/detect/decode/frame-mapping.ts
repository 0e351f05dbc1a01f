/**
 * From the network's input frame back to the displayed image: clipping and rescaling, in float32
 * like torchvision's clip_boxes_to_image and transform.postprocess (resize_boxes), plus building
 * the Detection objects (only for the few hundred kept boxes).
 */
import type { Detection, InputFrame, PostprocessConfig } from '../types'

const f32 = Math.fround

/** Clamps boxes[from..to) (×4) to [0, width] × [0, height] (one pixel less with the "+1" convention). */
export function clipBoxes(boxes: Float32Array, from: number, to: number, width: number, height: number, plusOne: boolean): void {
  const maxX = plusOne ? width - 1 : width
  const maxY = plusOne ? height - 1 : height
  for (let i = from * 4; i < to * 4; i += 4) {
    boxes[i] = Math.min(Math.max(boxes[i]!, 0), maxX)
    boxes[i + 1] = Math.min(Math.max(boxes[i + 1]!, 0), maxY)
    boxes[i + 2] = Math.min(Math.max(boxes[i + 2]!, 0), maxX)
    boxes[i + 3] = Math.min(Math.max(boxes[i + 3]!, 0), maxY)
  }
}

export interface FrameScale {
  x: number
  y: number
}

/** resize_boxes' ratios: float32(original) / float32(resized), computed in float32. */
export function resizedToOriginalScale(frame: InputFrame): FrameScale {
  if (frame.resizedWidth <= 0 || frame.resizedHeight <= 0) {
    throw new Error(`input frame has an empty resized size ${frame.resizedWidth}×${frame.resizedHeight}`)
  }
  return {
    x: f32(frame.originalWidth / frame.resizedWidth),
    y: f32(frame.originalHeight / frame.resizedHeight),
  }
}

/**
 * Detections for the kept positions (already best first): boxes scaled to the original frame
 * (when `scale` is given) and, with clip 'original', clamped to it afterwards (detectron2).
 */
export function buildDetections(
  kept: ArrayLike<number>,
  boxes: Float32Array,
  scores: Float32Array,
  labels: Int32Array,
  scale: FrameScale | null,
  frame: InputFrame,
  postprocess: Pick<PostprocessConfig, 'clip' | 'nmsPlusOne'>,
): Detection[] {
  const detections: Detection[] = []
  const clipToOriginal = postprocess.clip === 'original'
  const maxX = postprocess.nmsPlusOne ? frame.originalWidth - 1 : frame.originalWidth
  const maxY = postprocess.nmsPlusOne ? frame.originalHeight - 1 : frame.originalHeight
  for (let r = 0; r < kept.length; r++) {
    const position = kept[r]!
    const b = position * 4
    let x1 = boxes[b]!
    let y1 = boxes[b + 1]!
    let x2 = boxes[b + 2]!
    let y2 = boxes[b + 3]!
    if (scale) {
      x1 = f32(x1 * scale.x)
      y1 = f32(y1 * scale.y)
      x2 = f32(x2 * scale.x)
      y2 = f32(y2 * scale.y)
    }
    if (clipToOriginal) {
      x1 = Math.min(Math.max(x1, 0), maxX)
      y1 = Math.min(Math.max(y1, 0), maxY)
      x2 = Math.min(Math.max(x2, 0), maxX)
      y2 = Math.min(Math.max(y2, 0), maxY)
    }
    detections.push({ classIndex: labels[position]!, score: scores[position]!, box: [x1, y1, x2, y2] })
  }
  return detections
}
