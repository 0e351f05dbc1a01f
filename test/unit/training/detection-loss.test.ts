import { describe, expect, it } from 'vitest'
import { IGNORED, matchAnchors } from '../../../src-main/core/training/anchor-matching'
import { encodeBoxTarget, RETINANET_BOX_WEIGHTS } from '../../../src-main/core/training/box-regression-loss'
import { type HeadOutputs, imageLoss, type ImageTargets } from '../../../src-main/core/training/detection-loss'
import { focalLossTerm, RETINANET_FOCAL_LOSS } from '../../../src-main/core/training/focal-loss'
import { seededRandom } from '../../helpers/seeded-random'

const classCount = 3
// Anchors of a few sizes on a coarse grid, enough for foreground, ignored and background ones.
const anchors = new Float32Array([
  ...[8, 16, 32].flatMap((size) =>
    [0, 16, 32, 48].flatMap((cy) => [0, 16, 32, 48].flatMap((cx) => [cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2])),
  ),
  // IoU 288 / 640 = 0.45 with the first box: ignored.
  10, 12, 26, 52,
])
const anchorCount = anchors.length / 4
const targets: ImageTargets = {
  boxes: new Float32Array([10, 12, 26, 30, 30, 30, 60, 62]),
  classes: new Int32Array([2, 0]),
}

function randomOutputs(seed: number): HeadOutputs {
  const random = seededRandom(seed)
  return {
    logits: Float32Array.from({ length: anchorCount * classCount }, () => random() * 6 - 4),
    deltas: Float32Array.from({ length: anchorCount * 4 }, () => random() * 0.6 - 0.3),
  }
}

const total = (outputs: HeadOutputs): number => {
  const loss = imageLoss(outputs, anchors, targets, classCount, null)
  return loss.classification + loss.boxRegression
}

describe('RetinaNet image loss', () => {
  it('has foreground, ignored and background anchors in this fixture', () => {
    const matches = Array.from(matchAnchors(anchors, targets.boxes))
    expect(matches.filter((m) => m >= 0).length).toBeGreaterThan(1)
    expect(matches).toContain(IGNORED)
    expect(matches).toContain(-1)
  })

  it('sums focal loss over non-ignored anchors and L1 over foreground ones, divided by the foreground count', () => {
    const outputs = randomOutputs(3)
    const matches = matchAnchors(anchors, targets.boxes)
    let classification = 0
    let box = 0
    let foreground = 0
    const target = new Float32Array(4)
    for (let a = 0; a < anchorCount; a++) {
      const match = matches[a]!
      if (match >= 0) {
        foreground++
        encodeBoxTarget(anchors, a, targets.boxes, match, RETINANET_BOX_WEIGHTS, target, 0)
        for (let j = 0; j < 4; j++) box += Math.abs(outputs.deltas[a * 4 + j]! - target[j]!)
      }
      if (match === IGNORED) continue
      for (let k = 0; k < classCount; k++) {
        const isPositive = match >= 0 && targets.classes[match] === k
        classification += focalLossTerm(outputs.logits[a * classCount + k]!, isPositive ? 1 : 0, RETINANET_FOCAL_LOSS, null, 0, 1)
      }
    }
    const loss = imageLoss(outputs, anchors, targets, classCount, null)
    expect(loss.foregroundAnchors).toBe(foreground)
    expect(loss.classification).toBeCloseTo(classification / foreground, 9)
    expect(loss.boxRegression).toBeCloseTo(box / foreground, 9)
  })

  it('has the gradients finite differences give, logits and deltas', () => {
    const outputs = randomOutputs(5)
    const gradients: HeadOutputs = { logits: new Float32Array(outputs.logits.length), deltas: new Float32Array(outputs.deltas.length) }
    imageLoss(outputs, anchors, targets, classCount, gradients, 0.5)
    const step = 1e-3
    const check = (values: Float32Array, gradient: Float32Array, index: number): void => {
      const saved = values[index]!
      values[index] = saved + step
      const plus = total(outputs)
      values[index] = saved - step
      const minus = total(outputs)
      values[index] = saved
      // scale 0.5 was passed, so the gradient is half the loss's derivative.
      expect(gradient[index]! * 2).toBeCloseTo((plus - minus) / (2 * step), 3)
    }
    for (let i = 0; i < outputs.logits.length; i += 7) check(outputs.logits, gradients.logits, i)
    const matches = matchAnchors(anchors, targets.boxes)
    for (let a = 0; a < anchorCount; a++) {
      if (matches[a]! < 0) continue
      for (let j = 0; j < 4; j++) check(outputs.deltas, gradients.deltas, a * 4 + j)
    }
  })

  it('learns only "no object" from a reviewed image without boxes, normalised by one', () => {
    const outputs = randomOutputs(9)
    const empty: ImageTargets = { boxes: new Float32Array(0), classes: new Int32Array(0) }
    const loss = imageLoss(outputs, anchors, empty, classCount, null)
    let expected = 0
    for (const logit of outputs.logits) expected += focalLossTerm(logit, 0, RETINANET_FOCAL_LOSS, null, 0, 1)
    expect(loss).toEqual({ classification: expect.closeTo(expected, 9), boxRegression: 0, foregroundAnchors: 0 })
  })

  it('is zero-gradient for box deltas that already equal their targets', () => {
    const outputs = randomOutputs(11)
    const matches = matchAnchors(anchors, targets.boxes)
    for (let a = 0; a < anchorCount; a++) {
      if (matches[a]! >= 0) encodeBoxTarget(anchors, a, targets.boxes, matches[a]!, RETINANET_BOX_WEIGHTS, outputs.deltas, a * 4)
    }
    const gradients: HeadOutputs = { logits: new Float32Array(outputs.logits.length), deltas: new Float32Array(outputs.deltas.length) }
    const loss = imageLoss(outputs, anchors, targets, classCount, gradients)
    expect(loss.boxRegression).toBeCloseTo(0, 6)
    expect(gradients.deltas.every((value) => value === 0)).toBe(true)
  })
})
