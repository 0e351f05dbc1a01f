/**
 * Raw model outputs → detections in each original image's displayed frame, best first.
 * Dispatches on the configured output layout; /work/shared/RETINANET.md describes the layouts
 * and how each framework decodes.
 *
 * How closely the reference frameworks are reproduced, and where they cannot be:
 * - Arithmetic follows torchvision's float32 tensor ops step by step (see float32.ts,
 *   box-coder.ts). torch's vectorised exp may differ from a correctly rounded one by one ulp, so
 *   a score or a box side can differ by one float32 ulp (≈6e-5 px at 1000 px).
 * - Equal scores: torch.topk and the final sort in batched_nms order ties by whatever libstdc++'s
 *   selection and sort happen to do. We order by score, then by anchor·K + class, then by level
 *   (the order a stable sort gives; torchvision's nms kernel is itself stable). Results differ
 *   only among exactly equal float32 scores.
 * - torchvision's batched_nms offsets each class's boxes when there are at most 1000 candidates;
 *   the offset changes float32 rounding of IoU, so a pair whose IoU is within rounding of the
 *   threshold may be decided differently. We compute IoU on the boxes themselves.
 * - ODTK keeps scores >= threshold (we keep > threshold, as torchvision) and clips each level to
 *   its grid extent (feature size · stride − 1) rather than to the resized image; the two agree
 *   whenever the image fills a padded input that is a multiple of 128. ODTK's nominal strides
 *   (8·2^level) need `anchors.strides: 'nominal'` (see anchors.ts).
 * - anchors.plusOne does not affect decoding: ODTK's "+1" lives in boxCoder.plusOne and
 *   postprocess.nmsPlusOne, its anchor corners are centre ± size/2.
 */
import type { Detection, InputFrame, ModelConfig, RawTensor } from '../types'
import { concatOutputs } from './concat-layout'
import { decodeDense } from './dense-decoder'
import { decodeEndToEnd, decodeMmdeploy } from './end-to-end-layouts'
import { perLevelOutputs } from './per-level-layout'

export function decodeOutputs(outputs: Record<string, RawTensor>, config: ModelConfig, frames: InputFrame[]): Detection[][] {
  const output = config.output
  switch (output.layout) {
    case 'concat':
      return decodeDense(concatOutputs(outputs, output, config, frames), config, frames)
    case 'per-level':
      return decodeDense(perLevelOutputs(outputs, output, config, frames), config, frames)
    case 'end-to-end':
      return decodeEndToEnd(outputs, output, config, frames)
    case 'mmdeploy':
      return decodeMmdeploy(outputs, output, config, frames)
  }
}

export { type AnchorGrid, type AnchorLevel, buildAnchorGrid, cachedAnchorGrid, derivedLevelShapes, featureSizes, materializeAnchors } from './anchors'
