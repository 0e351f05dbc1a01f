/**
 * RetinaNet's sigmoid focal loss (Lin et al., eq. 5) and its gradient with respect to the
 * logits, as torchvision.ops.sigmoid_focal_loss computes it:
 *
 *   p = σ(x), ce = BCE(x, t), p_t = p·t + (1 − p)(1 − t), α_t = α·t + (1 − α)(1 − t)
 *   FL = α_t · (1 − p_t)^γ · ce
 *
 * The logarithms are taken as softplus of the logit, so a confident wrong logit of ±100 gives
 * a finite loss and gradient instead of log(0).
 */

export interface FocalLossOptions {
  /** Weight of the positive class, α in the paper. */
  alpha: number
  /** Focusing exponent, γ in the paper. */
  gamma: number
}

/** The paper's and torchvision's defaults. */
export const RETINANET_FOCAL_LOSS: FocalLossOptions = { alpha: 0.25, gamma: 2 }

/** log(1 + e^x) without overflow for large |x|. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))
}

/**
 * Focal loss of one logit against a 0/1 target. Returns the loss; the derivative dFL/dx is
 * written into `gradient[index]` scaled by `scale` (added, so one buffer can gather a batch).
 *
 * With p = σ(x), q = 1 − p, log p = −softplus(−x) and log q = −softplus(x), and the pieces
 * dq^γ/dx = −γ q^γ p, dsoftplus(−x)/dx = −q, dp^γ/dx = γ p^γ q, dsoftplus(x)/dx = p:
 *   t = 1: FL = α q^γ softplus(−x),        dFL/dx = −α (γ q^γ p softplus(−x) + q^(γ+1))
 *   t = 0: FL = (1 − α) p^γ softplus(x),   dFL/dx = (1 − α) (γ p^γ q softplus(x) + p^(γ+1))
 */
export function focalLossTerm(
  logit: number,
  target: 0 | 1,
  options: FocalLossOptions,
  gradient: Float32Array | null,
  index: number,
  scale: number,
): number {
  const { alpha, gamma } = options
  const p = sigmoid(logit)
  if (target === 1) {
    const q = 1 - p
    const modulator = q ** gamma
    const ce = softplus(-logit)
    if (gradient) gradient[index]! += scale * alpha * (-gamma * modulator * p * ce - modulator * q)
    return alpha * modulator * ce
  }
  const modulator = p ** gamma
  const ce = softplus(logit)
  if (gradient) gradient[index]! += scale * (1 - alpha) * (gamma * modulator * (1 - p) * ce + modulator * p)
  return (1 - alpha) * modulator * ce
}
