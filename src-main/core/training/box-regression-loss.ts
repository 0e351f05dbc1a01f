/**
 * The box half of RetinaNet's loss as torchvision trains it: the matched ground-truth box is
 * encoded against its anchor by the model's box coder (BoxCoder.encode_single), and the loss is
 * the L1 distance between the predicted and the encoded deltas.
 */

export interface BoxCoderWeights {
  x: number
  y: number
  w: number
  h: number
}

/** torchvision RetinaNet's box coder weights. */
export const RETINANET_BOX_WEIGHTS: BoxCoderWeights = { x: 1, y: 1, w: 1, h: 1 }

/**
 * Regression targets (dx, dy, dw, dh) that would move `anchors[a]` onto `boxes[b]`, written to
 * out[o..o+3]. Both are [x1, y1, x2, y2] arrays; a and b are box indices.
 */
export function encodeBoxTarget(
  anchors: Float32Array,
  a: number,
  boxes: Float32Array,
  b: number,
  weights: BoxCoderWeights,
  out: Float32Array,
  o: number,
): void {
  const anchorWidth = anchors[a * 4 + 2]! - anchors[a * 4]!
  const anchorHeight = anchors[a * 4 + 3]! - anchors[a * 4 + 1]!
  const anchorCenterX = anchors[a * 4]! + 0.5 * anchorWidth
  const anchorCenterY = anchors[a * 4 + 1]! + 0.5 * anchorHeight
  const boxWidth = boxes[b * 4 + 2]! - boxes[b * 4]!
  const boxHeight = boxes[b * 4 + 3]! - boxes[b * 4 + 1]!
  const boxCenterX = boxes[b * 4]! + 0.5 * boxWidth
  const boxCenterY = boxes[b * 4 + 1]! + 0.5 * boxHeight
  out[o] = (weights.x * (boxCenterX - anchorCenterX)) / anchorWidth
  out[o + 1] = (weights.y * (boxCenterY - anchorCenterY)) / anchorHeight
  out[o + 2] = weights.w * Math.log(boxWidth / anchorWidth)
  out[o + 3] = weights.h * Math.log(boxHeight / anchorHeight)
}

/**
 * L1 loss of four predicted deltas `predicted[p..p+3]` against `target[t..t+3]`; its
 * subgradient (sign, 0 where equal, as torch's) times `scale` is added to gradient[p..p+3].
 */
export function l1LossTerm(
  predicted: Float32Array,
  p: number,
  target: Float32Array,
  t: number,
  gradient: Float32Array | null,
  scale: number,
): number {
  let loss = 0
  for (let j = 0; j < 4; j++) {
    const difference = predicted[p + j]! - target[t + j]!
    loss += Math.abs(difference)
    if (gradient) gradient[p + j]! += scale * Math.sign(difference)
  }
  return loss
}
