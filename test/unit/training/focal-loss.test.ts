import { describe, expect, it } from 'vitest'
import { focalLossTerm, RETINANET_FOCAL_LOSS, sigmoid, softplus } from '../../../src-main/core/training/focal-loss'

/** The paper's formula written the plain way, for comparison where it is finite. */
function plainFocalLoss(logit: number, target: 0 | 1, alpha: number, gamma: number): number {
  const p = 1 / (1 + Math.exp(-logit))
  const pT = target === 1 ? p : 1 - p
  const alphaT = target === 1 ? alpha : 1 - alpha
  return -alphaT * (1 - pT) ** gamma * Math.log(pT)
}

function numericDerivative(f: (x: number) => number, x: number, step = 1e-5): number {
  return (f(x + step) - f(x - step)) / (2 * step)
}

describe('sigmoid focal loss', () => {
  const logits = [-12, -4.5, -1, -0.1, 0, 0.3, 2, 7, 15]

  it('equals the paper formula for both targets and several γ and α (to its precision)', () => {
    for (const [alpha, gamma] of [[0.25, 2], [0.5, 0], [0.75, 1]] as const) {
      for (const logit of logits) {
        for (const target of [0, 1] as const) {
          const loss = focalLossTerm(logit, target, { alpha, gamma }, null, 0, 1)
          expect(loss).toBeCloseTo(plainFocalLoss(logit, target, alpha, gamma), 8)
        }
      }
    }
  })

  it('has the gradient finite differences give', () => {
    for (const logit of logits) {
      for (const target of [0, 1] as const) {
        const gradient = new Float32Array(1)
        focalLossTerm(logit, target, RETINANET_FOCAL_LOSS, gradient, 0, 1)
        const numeric = numericDerivative((x) => focalLossTerm(x, target, RETINANET_FOCAL_LOSS, null, 0, 1), logit)
        expect(gradient[0]).toBeCloseTo(numeric, 5)
      }
    }
  })

  it('stays finite for confident wrong logits, where log(p) would be -Infinity', () => {
    const gradient = new Float32Array(2)
    const positive = focalLossTerm(-200, 1, RETINANET_FOCAL_LOSS, gradient, 0, 1)
    const negative = focalLossTerm(200, 0, RETINANET_FOCAL_LOSS, gradient, 1, 1)
    expect(positive).toBeCloseTo(0.25 * 200, 6)
    expect(negative).toBeCloseTo(0.75 * 200, 6)
    expect(gradient[0]).toBeCloseTo(-0.25, 6)
    expect(gradient[1]).toBeCloseTo(0.75, 6)
  })

  it('down-weights easy examples: an easy negative costs far less than cross-entropy', () => {
    const easy = focalLossTerm(-4, 0, RETINANET_FOCAL_LOSS, null, 0, 1)
    expect(easy / (0.75 * softplus(-4))).toBeCloseTo(sigmoid(-4) ** 2, 10)
  })

  it('adds scaled gradients into the buffer instead of overwriting it', () => {
    const gradient = new Float32Array([1])
    focalLossTerm(0.5, 1, RETINANET_FOCAL_LOSS, gradient, 0, 0.5)
    const alone = new Float32Array(1)
    focalLossTerm(0.5, 1, RETINANET_FOCAL_LOSS, alone, 0, 1)
    expect(gradient[0]).toBeCloseTo(1 + 0.5 * alone[0]!, 6)
  })
})
