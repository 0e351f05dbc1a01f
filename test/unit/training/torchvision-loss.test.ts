/**
 * The training loss against torchvision itself: RetinaNetHead.compute_loss and its autograd
 * gradients on a fixture made by tools/golden/retinanet_loss.py.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { buildAnchorGrid, derivedLevelShapes, materializeAnchors } from '../../../src-main/core/detect/decode/anchors'
import { TORCHVISION_ANCHOR_SIZES } from '../../../src-main/core/detect/presets'
import { matchAnchors } from '../../../src-main/core/training/anchor-matching'
import { type HeadOutputs, imageLoss } from '../../../src-main/core/training/detection-loss'

interface FixtureImage {
  boxes: number[]
  classes: number[]
  matches: number[]
  logits: number[]
  deltas: number[]
  logitGradient: number[]
  deltaGradient: number[]
}

interface LossFixture {
  paddedHeight: number
  paddedWidth: number
  classCount: number
  anchors: number[]
  images: FixtureImage[]
  classification: number
  boxRegression: number
}

const fixture = JSON.parse(
  gunzipSync(readFileSync(resolve(import.meta.dirname, '../../fixtures/golden/training/retinanet-loss.json.gz'))).toString('utf8'),
) as LossFixture

const anchors = new Float32Array(fixture.anchors)

describe('training loss equals torchvision RetinaNet', () => {
  it("uses the detector's own anchors, which are torchvision's", () => {
    const grid = buildAnchorGrid(
      fixture.paddedHeight,
      fixture.paddedWidth,
      derivedLevelShapes(fixture.paddedHeight, fixture.paddedWidth, 5),
      { sizes: TORCHVISION_ANCHOR_SIZES, aspectRatios: [0.5, 1, 2], order: 'ratio-major', rounding: 'half-even', offset: 0, plusOne: false, strides: 'derived' },
    )
    expect(Array.from(materializeAnchors(grid))).toEqual(Array.from(anchors))
  })

  it('matches anchors to boxes exactly as its Matcher', () => {
    for (const image of fixture.images) {
      expect(Array.from(matchAnchors(anchors, new Float32Array(image.boxes)))).toEqual(image.matches)
    }
  })

  it('gives the same classification and box losses, averaged over the batch, and the same gradients', () => {
    const scale = 1 / fixture.images.length
    let classification = 0
    let boxRegression = 0
    for (const image of fixture.images) {
      const outputs: HeadOutputs = { logits: new Float32Array(image.logits), deltas: new Float32Array(image.deltas) }
      const gradients: HeadOutputs = { logits: new Float32Array(image.logits.length), deltas: new Float32Array(image.deltas.length) }
      const targets = { boxes: new Float32Array(image.boxes), classes: new Int32Array(image.classes) }
      const loss = imageLoss(outputs, anchors, targets, fixture.classCount, gradients, scale)
      classification += loss.classification * scale
      boxRegression += loss.boxRegression * scale
      expectAllClose(gradients.logits, image.logitGradient, 1e-6)
      expectAllClose(gradients.deltas, image.deltaGradient, 1e-6)
    }
    expect(classification).toBeCloseTo(fixture.classification, 3)
    expect(boxRegression).toBeCloseTo(fixture.boxRegression, 5)
  })
})

function expectAllClose(actual: Float32Array, expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!))
  expect(worst).toBeLessThan(tolerance)
}
