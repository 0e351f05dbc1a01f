/**
 * The straightforward preprocessing the engine used before its fast path (preprocess.ts,
 * bilinear-resize.ts): kept verbatim as the reference the fast path must equal bit for bit
 * (test/unit/detect/preprocess-fast-path.test.ts). Not used by the application.
 *
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
 * test/unit/detect/preprocess.test.ts checks all of this against torch's own output.
 */
import type { DecodedImage } from '../../../../src-main/core/images/decode-image'
import type { InputConfig, InputFrame, PreparedInput, ResizePolicy } from '../../../../src-main/core/detect/types'

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

export function prepareImageReference(image: DecodedImage, input: InputConfig): PreparedInput {
  const frame = inputFrameFor(image.width, image.height, input)
  const data = new Float32Array(3 * frame.paddedWidth * frame.paddedHeight)
  if (input.padValue !== 0) data.fill(input.padValue)
  const tables = normalizationTables(input)
  if (frame.resizedWidth === image.width && frame.resizedHeight === image.height) {
    copyNormalized(image, tables, frame, data)
  } else {
    resizeNormalized(image, tables, frame, data)
  }
  return { data, frame }
}

/**
 * Per tensor channel: the normalized float32 value of each 8-bit sample, and which RGB
 * channel feeds it. torchvision computes `(v / 255 − mean) / std` in float32; when `scale`
 * is the reciprocal of an integer we divide by that integer so the rounding matches.
 */
function normalizationTables(input: InputConfig): { lookup: Float32Array[]; source: number[] } {
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
  return { lookup, source }
}

function copyNormalized(
  image: DecodedImage,
  { lookup, source }: ReturnType<typeof normalizationTables>,
  frame: InputFrame,
  out: Float32Array,
): void {
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

/** Source indices and float32 weights for one axis, as torch computes them. */
export interface AxisTable {
  index0: Int32Array
  index1: Int32Array
  weight0: Float32Array
  weight1: Float32Array
}

export function bilinearAxisTable(inputSize: number, outputSize: number): AxisTable {
  const table: AxisTable = {
    index0: new Int32Array(outputSize),
    index1: new Int32Array(outputSize),
    weight0: new Float32Array(outputSize),
    weight1: new Float32Array(outputSize),
  }
  const ratio = fround(inputSize / outputSize)
  for (let o = 0; o < outputSize; o++) {
    if (inputSize === outputSize) {
      table.index0[o] = o
      table.index1[o] = o
      table.weight0[o] = 1
      table.weight1[o] = 0
      continue
    }
    const sourceIndex = Math.max(0, ratio * (o + 0.5) - 0.5)
    const index0 = Math.floor(sourceIndex)
    const lambda1 = fround(Math.min(Math.max(sourceIndex - index0, 0), 1))
    table.index0[o] = index0
    table.index1[o] = index0 < inputSize - 1 ? index0 + 1 : index0
    table.weight1[o] = lambda1
    table.weight0[o] = fround(1 - lambda1)
  }
  return table
}

/**
 * One pass per output row: each needed source row is interpolated horizontally once (kept
 * in a two-row cache, planar per channel) and the two rows are blended vertically.
 */
function resizeNormalized(image: DecodedImage, tables: ReturnType<typeof normalizationTables>, frame: InputFrame, out: Float32Array): void {
  const outWidth = frame.resizedWidth
  const columns = bilinearAxisTable(image.width, outWidth)
  const rows = bilinearAxisTable(image.height, frame.resizedHeight)
  const pass: HorizontalPass = {
    pixels: image.data,
    rowBytes: image.width * 3,
    outWidth,
    // Byte offsets of each column's two source pixels inside a row.
    offset0: columns.index0.map((index) => index * 3),
    offset1: columns.index1.map((index) => index * 3),
    weight0: columns.weight0,
    weight1: columns.weight1,
    tables: tables.lookup as [Float32Array, Float32Array, Float32Array],
    sources: tables.source as [number, number, number],
  }
  const cache = [new Float32Array(3 * outWidth), new Float32Array(3 * outWidth)] as const
  const cachedRow = [-1, -1]
  const rowValues = (sourceRow: number): Float32Array => {
    if (cachedRow[0] === sourceRow) return cache[0]
    if (cachedRow[1] === sourceRow) return cache[1]
    // Rows are visited in increasing order, so the older slot is the one to reuse.
    const slot = cachedRow[0]! < cachedRow[1]! ? 0 : 1
    cachedRow[slot] = sourceRow
    interpolateRow(pass, sourceRow, cache[slot])
    return cache[slot]
  }
  const plane = frame.paddedWidth * frame.paddedHeight
  for (let y = 0; y < frame.resizedHeight; y++) {
    blendRows(rowValues(rows.index0[y]!), rowValues(rows.index1[y]!), rows.weight0[y]!, rows.weight1[y]!, out, y * frame.paddedWidth, plane, outWidth)
  }
}

interface HorizontalPass {
  pixels: Uint8Array
  rowBytes: number
  outWidth: number
  offset0: Int32Array
  offset1: Int32Array
  weight0: Float32Array
  weight1: Float32Array
  tables: [Float32Array, Float32Array, Float32Array]
  sources: [number, number, number]
}

/**
 * Normalizes and interpolates one source row into `into` (three planar channel rows). Plain
 * functions with every input in a parameter keep V8's optimized code monomorphic; all three
 * channels share the loop so each source pixel's bytes are read together.
 */
function interpolateRow(pass: HorizontalPass, sourceRow: number, into: Float32Array): void {
  const { pixels, outWidth, offset0, offset1, weight0, weight1 } = pass
  const [table0, table1, table2] = pass.tables
  const rowStart = sourceRow * pass.rowBytes
  const start0 = rowStart + pass.sources[0]
  const start1 = rowStart + pass.sources[1]
  const start2 = rowStart + pass.sources[2]
  for (let x = 0; x < outWidth; x++) {
    const a = offset0[x]!
    const b = offset1[x]!
    const w0 = weight0[x]!
    const w1 = weight1[x]!
    into[x] = table0[pixels[start0 + a]!]! * w0 + fround(table0[pixels[start0 + b]!]! * w1)
    into[outWidth + x] = table1[pixels[start1 + a]!]! * w0 + fround(table1[pixels[start1 + b]!]! * w1)
    into[2 * outWidth + x] = table2[pixels[start2 + a]!]! * w0 + fround(table2[pixels[start2 + b]!]! * w1)
  }
}

function blendRows(top: Float32Array, bottom: Float32Array, w0: number, w1: number, out: Float32Array, rowStart: number, plane: number, outWidth: number): void {
  for (let channel = 0; channel < 3; channel++) {
    let from = channel * outWidth
    let to = channel * plane + rowStart
    const end = to + outWidth
    while (to < end) {
      out[to++] = top[from]! * w0 + fround(bottom[from]! * w1)
      from++
    }
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}
