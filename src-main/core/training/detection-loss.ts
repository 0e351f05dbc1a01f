/**
 * RetinaNet's training loss for one image, as torchvision's RetinaNetHead.compute_loss defines
 * it: anchors matched to ground truth (anchor-matching.ts), sigmoid focal loss over every
 * anchor that is not ignored and every class, L1 box loss over the foreground anchors, both
 * divided by the number of foreground anchors (at least 1). A batch's loss is the mean of its
 * images' losses, which callers get by passing `scale` = 1 / batch size.
 */
import { IGNORED, matchAnchors, type MatchThresholds, RETINANET_MATCHING } from './anchor-matching'
import { type BoxCoderWeights, encodeBoxTarget, l1LossTerm, RETINANET_BOX_WEIGHTS } from './box-regression-loss'
import { type FocalLossOptions, focalLossTerm, RETINANET_FOCAL_LOSS } from './focal-loss'

/** Ground truth of one image in the frame the anchors live in (the resized, padded input). */
export interface ImageTargets {
  /** [G × 4] x1, y1, x2, y2. */
  boxes: Float32Array
  /** [G] class index into the head's K classes. */
  classes: Int32Array
}

/** Head outputs for every anchor, in the concatenated P3→P7 anchor order. */
export interface HeadOutputs {
  /** [A × K] classification logits. */
  logits: Float32Array
  /** [A × 4] box deltas (dx, dy, dw, dh). */
  deltas: Float32Array
}

export interface ImageLoss {
  classification: number
  boxRegression: number
  foregroundAnchors: number
}

export interface LossOptions {
  focal: FocalLossOptions
  matching: MatchThresholds
  boxWeights: BoxCoderWeights
  /**
   * Per class, 0 to leave it out of the loss: a class of the base model that the project does
   * not label, whose absence from the labels says nothing. All classes count when absent.
   */
  trainedClasses?: Uint8Array
}

export const RETINANET_LOSS: LossOptions = {
  focal: RETINANET_FOCAL_LOSS,
  matching: RETINANET_MATCHING,
  boxWeights: RETINANET_BOX_WEIGHTS,
}

/**
 * Loss of one image; when `gradients` is given, d(loss · scale)/d(outputs) is added to it.
 * `matches` may be passed when the caller already matched these anchors to these boxes.
 */
export function imageLoss(
  outputs: HeadOutputs,
  anchors: Float32Array,
  targets: ImageTargets,
  classCount: number,
  gradients: HeadOutputs | null,
  scale = 1,
  options: LossOptions = RETINANET_LOSS,
  matches: Int32Array = matchAnchors(anchors, targets.boxes, options.matching),
): ImageLoss {
  const anchorCount = anchors.length / 4
  let foregroundAnchors = 0
  for (let a = 0; a < anchorCount; a++) if (matches[a]! >= 0) foregroundAnchors++
  const normaliser = Math.max(1, foregroundAnchors)
  const gradientScale = scale / normaliser

  let classification = 0
  for (let a = 0; a < anchorCount; a++) {
    const match = matches[a]!
    if (match === IGNORED) continue
    const positiveClass = match >= 0 ? targets.classes[match]! : -1
    const row = a * classCount
    for (let k = 0; k < classCount; k++) {
      if (options.trainedClasses && options.trainedClasses[k] === 0) continue
      classification += focalLossTerm(
        outputs.logits[row + k]!,
        k === positiveClass ? 1 : 0,
        options.focal,
        gradients?.logits ?? null,
        row + k,
        gradientScale,
      )
    }
  }

  let boxRegression = 0
  const target = new Float32Array(4)
  for (let a = 0; a < anchorCount; a++) {
    const match = matches[a]!
    if (match < 0) continue
    encodeBoxTarget(anchors, a, targets.boxes, match, options.boxWeights, target, 0)
    boxRegression += l1LossTerm(outputs.deltas, a * 4, target, 0, gradients?.deltas ?? null, gradientScale)
  }

  return {
    classification: classification / normaliser,
    boxRegression: boxRegression / normaliser,
    foregroundAnchors,
  }
}
