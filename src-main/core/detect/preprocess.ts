/**
 * Turns decoded RGB pixels into the graph's input tensor: normalize, resize, pad.
 *
 * Normalization happens first and resizing works on the normalized float values, the order
 * torchvision's GeneralizedRCNNTransform uses (it resizes the normalized tensor). Because
 * bilinear weights sum to one, the order makes no difference in exact arithmetic, so the
 * same code serves every preset; following torchvision's order is what makes the float32
 * results identical to torch's, bit for bit.
 *
 * Bit-exactness with torch 1.13's CPU kernel (upsample_bilinear2d, align_corners=False):
 *  - the output size is floor(side · scale) in double, with scale computed in float32;
 *  - the kernel then samples with ratio = float32(in / out), not with the requested scale
 *    (torchvision passes recompute_scale_factor=True);
 *  - source coordinates are computed in double from that float32 ratio, weights stored as
 *    float32 (lambda0 = 1 − lambda1 in float32);
 *  - each of the two interpolation steps is `fma(v0, w0, v1 · w1)` in float32 (torch's AVX2
 *    build contracts the multiply-add). `Math.fround(v0 * w0 + Math.fround(v1 * w1))`
 *    reproduces that: v0 · w0 of two float32 values is exact in double, and the double sum
 *    rounds to the fused result except in vanishingly rare double-rounding ties.
 * This is the kernel torch uses for a contiguous channels-first tensor, which is what
 * torchvision's `to_tensor` makes; a channels-last tensor would take another code path.
 * test/unit/detect/preprocess.test.ts checks all of this against torch's own output. The
 * resize kernel itself, written for speed, is bilinear-wasm.ts (WebAssembly), or
 * bilinear-resize.ts where WebAssembly cannot run; both give the same bits.
 */
import type { DecodedImage } from '../images/decode-image'
import { type NormalizationTables, resizeNormalized } from './bilinear-resize'
import { resizeNormalizedWasm } from './bilinear-wasm'
import type { InputConfig, InputFrame, PreparedInput, ResizePolicy } from './types'

export { type AxisTable, bilinearAxisTable } from './bilinear-resize'

const fround = Math.fround

export interface ResizedSize {
  width: number
  height: number
}

/** The size the image has inside the tensor, before padding. */
export function resizedSize(width: number, height: number, policy: ResizePolicy): ResizedSize {
  switch (policy.mode) {
    case 'none':
      return { width, height }
    case 'fixed':
      return { width: policy.width, height: policy.height }
    case 'letterbox': {
      const scale = Math.min(policy.width / width, policy.height / height)
      return {
        width: clamp(Math.round(width * scale), 1, policy.width),
        height: clamp(Math.round(height * scale), 1, policy.height),
      }
    }
    case 'torchvision': {
      // As torch evaluates `min_size / torch.min(im_shape).float()`: a Python number divided
      // by a float32 tensor is `tensor.reciprocal() * number`, both steps rounded to float32
      // (100×20 with maxSize 60 gives 59 columns, not 60). `.item()` then widens to double.
      const short = Math.min(width, height)
      const long = Math.max(width, height)
      const scale = Math.min(
        fround(fround(1 / short) * fround(policy.minSize)),
        fround(fround(1 / long) * fround(policy.maxSize)),
      )
      return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) }
    }
  }
}

/** The frame of the tensor an image of this size is prepared into. */
export function inputFrameFor(width: number, height: number, input: InputConfig): InputFrame {
  const resized = resizedSize(width, height, input.resize)
  const boxWidth = input.resize.mode === 'letterbox' ? input.resize.width : resized.width
  const boxHeight = input.resize.mode === 'letterbox' ? input.resize.height : resized.height
  const multiple = Math.max(1, input.padMultiple)
  return {
    originalWidth: width,
    originalHeight: height,
    resizedWidth: resized.width,
    resizedHeight: resized.height,
    paddedWidth: Math.ceil(boxWidth / multiple) * multiple,
    paddedHeight: Math.ceil(boxHeight / multiple) * multiple,
  }
}

/**
 * The image's input tensor. `recycled`, when given and of the right length, is filled instead of
 * a new array (see tensor-buffers.ts): every value is written, the image area by the resize and
 * the padding explicitly, so whatever it held before cannot leak into the result.
 */
export function prepareImage(image: DecodedImage, input: InputConfig, recycled?: Float32Array): PreparedInput {
  const frame = inputFrameFor(image.width, image.height, input)
  const length = 3 * frame.paddedWidth * frame.paddedHeight
  let data: Float32Array
  if (recycled && recycled.length === length) {
    data = recycled
    fillPadding(data, frame, input.padValue)
  } else {
    data = new Float32Array(length)
    if (input.padValue !== 0) data.fill(input.padValue)
  }
  const tables = normalizationTables(input)
  if (frame.resizedWidth === image.width && frame.resizedHeight === image.height) {
    copyNormalized(image, tables, frame, data)
  } else {
    const resize = resizeNormalizedWasm ?? resizeNormalized
    resize(image.data, image.width, image.height, tables, {
      out: data,
      outWidth: frame.resizedWidth,
      outHeight: frame.resizedHeight,
      paddedWidth: frame.paddedWidth,
      paddedHeight: frame.paddedHeight,
    })
  }
  return { data, frame }
}

/** Sets everything outside the resized image (right columns, bottom rows) of each channel to `value`. */
function fillPadding(data: Float32Array, frame: InputFrame, value: number): void {
  const { paddedWidth, paddedHeight, resizedWidth, resizedHeight } = frame
  const plane = paddedWidth * paddedHeight
  for (let channel = 0; channel < 3; channel++) {
    const base = channel * plane
    if (resizedWidth < paddedWidth) {
      for (let y = 0; y < resizedHeight; y++) data.fill(value, base + y * paddedWidth + resizedWidth, base + (y + 1) * paddedWidth)
    }
    data.fill(value, base + resizedHeight * paddedWidth, base + plane)
  }
}

/** Built once per input config (a detector prepares every image with the same one). */
const tablesByInput = new WeakMap<InputConfig, NormalizationTables & { key: string }>()

/**
 * Per tensor channel: the normalized float32 value of each 8-bit sample, and which RGB
 * channel feeds it. torchvision computes `(v / 255 − mean) / std` in float32; when `scale`
 * is the reciprocal of an integer we divide by that integer so the rounding matches.
 */
function normalizationTables(input: InputConfig): NormalizationTables {
  const cached = tablesByInput.get(input)
  // The fields are re-checked: a config object is plain data and could have been edited since.
  if (cached && cached.key === tablesKey(input)) return cached
  const reciprocal = 1 / input.scale
  const divisor = Math.abs(reciprocal - Math.round(reciprocal)) < 1e-9 ? Math.round(reciprocal) : null
  const scale = fround(input.scale)
  const lookup: Float32Array[] = []
  const source: number[] = []
  for (let channel = 0; channel < 3; channel++) {
    const mean = fround(input.mean[channel]!)
    const std = fround(input.std[channel]!)
    const table = new Float32Array(256)
    for (let value = 0; value < 256; value++) {
      const scaled = divisor !== null ? fround(value / divisor) : fround(value * scale)
      table[value] = fround(fround(scaled - mean) / std)
    }
    lookup.push(table)
    source.push(input.channelOrder === 'RGB' ? channel : 2 - channel)
  }
  const tables = {
    lookup: lookup as NormalizationTables['lookup'],
    source: source as NormalizationTables['source'],
    key: tablesKey(input),
  }
  tablesByInput.set(input, tables)
  return tables
}

function tablesKey(input: InputConfig): string {
  return `${input.scale} ${input.mean.join(' ')} ${input.std.join(' ')} ${input.channelOrder}`
}

function copyNormalized(image: DecodedImage, { lookup, source }: NormalizationTables, frame: InputFrame, out: Float32Array): void {
  const { width, height, data: pixels } = image
  const plane = frame.paddedWidth * frame.paddedHeight
  for (let channel = 0; channel < 3; channel++) {
    const table = lookup[channel]!
    const offset = source[channel]!
    const base = channel * plane
    for (let y = 0; y < height; y++) {
      let from = y * width * 3 + offset
      let to = base + y * frame.paddedWidth
      for (let x = 0; x < width; x++, from += 3) out[to++] = table[pixels[from]!]!
    }
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}
