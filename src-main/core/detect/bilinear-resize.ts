/**
 * torch's bilinear resize (upsample_bilinear2d, align_corners=False, no antialias) of 8-bit RGB
 * pixels, normalized on the way, into planar float32 channels: the inner loop of image
 * preparation, so it is written for speed without changing a single bit of its output. This is
 * the JavaScript kernel, used where WebAssembly cannot run; bilinear-wasm.ts is the same loops
 * compiled by hand, about twice as fast, and shares the axis tables and types defined here.
 *
 * The arithmetic is torch's (see preprocess.ts for why each step is what it is): per axis,
 * source indices and float32 weights from `ratio = float32(in / out)`; each of the two
 * interpolation steps is `fma(v0, w0, v1 · w1)` in float32, computed as
 * `fround(v0 · w0 + fround(v1 · w1))` (the store into a Float32Array is the outer fround).
 * What makes it fast:
 *  - axis tables are computed once per (input, output) size and reused across images;
 *  - one loop per source row normalizes and interpolates all three channels, over plain typed
 *    arrays passed as parameters (normalizing the row first, then interpolating, was slower);
 *  - every source row is interpolated horizontally at most once (rows are visited in order,
 *    a two-row cache holds the pair the current output row blends);
 *  - scratch rows are kept between calls (prepareImage is synchronous, so one set per thread).
 * test/unit/detect/preprocess-fast-path.test.ts checks it against the straightforward
 * implementation on random images; test/unit/detect/preprocess.test.ts against torch itself.
 */
const fround = Math.fround

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

const axisTables = new Map<string, AxisTable>()
const AXIS_TABLE_LIMIT = 64

/** The axis table for this size pair, built once: a folder of same-sized photos pays for it once. */
export function cachedAxisTable(inputSize: number, outputSize: number): AxisTable {
  const key = `${inputSize}:${outputSize}`
  const hit = axisTables.get(key)
  if (hit) return hit
  const table = bilinearAxisTable(inputSize, outputSize)
  if (axisTables.size >= AXIS_TABLE_LIMIT) axisTables.delete(axisTables.keys().next().value as string)
  axisTables.set(key, table)
  return table
}

/** Per tensor channel: the normalized value of each 8-bit sample, and which RGB byte feeds it. */
export interface NormalizationTables {
  lookup: [Float32Array, Float32Array, Float32Array]
  source: [number, number, number]
}

export interface ResizeTarget {
  /** Planar float32 tensor (3 × paddedHeight × paddedWidth), written in its top-left corner. */
  out: Float32Array
  outWidth: number
  outHeight: number
  paddedWidth: number
  paddedHeight: number
}

/**
 * Widest source or resized row the fast kernel takes; wider images (beyond 100 megapixels in
 * practice) take the general kernel below, which computes the same values more slowly.
 */
export const FAST_KERNEL_MAX_WIDTH = 16384

/*
 * The fast kernel's buffers are module constants on purpose. V8's optimizing compiler embeds a
 * constant typed array's data pointer and length in the machine code; the same loop over typed
 * arrays passed as parameters reloads both on every access and runs two to four times slower.
 * So the kernel copies each source row into ROW_BYTES (a memcpy), works only on these
 * constants, and copies each finished output row into the tensor (another memcpy).
 */
const ROW_BYTES = new Uint8Array(3 * FAST_KERNEL_MAX_WIDTH)
/** Per output column: byte offsets of its two source pixels within a row, and their weights. */
const COLUMN_OFFSET0 = new Int32Array(FAST_KERNEL_MAX_WIDTH)
const COLUMN_OFFSET1 = new Int32Array(FAST_KERNEL_MAX_WIDTH)
const COLUMN_WEIGHT0 = new Float32Array(FAST_KERNEL_MAX_WIDTH)
const COLUMN_WEIGHT1 = new Float32Array(FAST_KERNEL_MAX_WIDTH)
/** The three channels' lookup tables, 256 values each, in tensor channel order. */
const LOOKUP = new Float32Array(768)
/** Two horizontally interpolated rows (three planar channels each): the pair an output row blends. */
const HORIZONTAL_ROWS = new Float32Array(2 * 3 * FAST_KERNEL_MAX_WIDTH)
/** One finished output row, three planar channels. */
const OUTPUT_ROW = new Float32Array(3 * FAST_KERNEL_MAX_WIDTH)

export function resizeNormalized(pixels: Uint8Array, width: number, height: number, tables: NormalizationTables, target: ResizeTarget): void {
  if (width > FAST_KERNEL_MAX_WIDTH || target.outWidth > FAST_KERNEL_MAX_WIDTH) {
    resizeNormalizedGeneral(pixels, width, height, tables, target)
    return
  }
  const { out, outWidth, outHeight, paddedWidth, paddedHeight } = target
  const columns = cachedAxisTable(width, outWidth)
  const rows = cachedAxisTable(height, outHeight)
  for (let x = 0; x < outWidth; x++) {
    COLUMN_OFFSET0[x] = columns.index0[x]! * 3
    COLUMN_OFFSET1[x] = columns.index1[x]! * 3
  }
  COLUMN_WEIGHT0.set(columns.weight0)
  COLUMN_WEIGHT1.set(columns.weight1)
  for (let channel = 0; channel < 3; channel++) LOOKUP.set(tables.lookup[channel]!, channel * 256)
  const [source0, source1, source2] = tables.source
  const rowBytes = width * 3
  const slotSize = 3 * outWidth
  // Source row held by each of the two HORIZONTAL_ROWS slots (-1: none yet).
  let slotRow0 = -1
  let slotRow1 = -1
  /** Offset in HORIZONTAL_ROWS of `sourceRow` interpolated, computing it into the older slot if needed. */
  const rowOffset = (sourceRow: number): number => {
    if (slotRow0 === sourceRow) return 0
    if (slotRow1 === sourceRow) return slotSize
    let slot: number
    // Rows are visited in increasing order, so the older slot is the one to reuse.
    if (slotRow0 < slotRow1) {
      slotRow0 = sourceRow
      slot = 0
    } else {
      slotRow1 = sourceRow
      slot = slotSize
    }
    ROW_BYTES.set(pixels.subarray(sourceRow * rowBytes, (sourceRow + 1) * rowBytes))
    interpolateRowFast(source0, source1, source2, slot, outWidth)
    return slot
  }
  const channel0 = OUTPUT_ROW.subarray(0, outWidth)
  const channel1 = OUTPUT_ROW.subarray(outWidth, 2 * outWidth)
  const channel2 = OUTPUT_ROW.subarray(2 * outWidth, 3 * outWidth)
  const plane = paddedWidth * paddedHeight
  for (let y = 0; y < outHeight; y++) {
    const top = rowOffset(rows.index0[y]!)
    const bottom = rowOffset(rows.index1[y]!)
    blendRowsFast(top, bottom, rows.weight0[y]!, rows.weight1[y]!, slotSize)
    const rowStart = y * paddedWidth
    out.set(channel0, rowStart)
    out.set(channel1, plane + rowStart)
    out.set(channel2, 2 * plane + rowStart)
  }
}

/**
 * Normalizes and interpolates the row in ROW_BYTES into HORIZONTAL_ROWS at `slot` (three
 * planar channel rows). All three channels share the loop, so each column's offsets and
 * weights are read once.
 */
function interpolateRowFast(source0: number, source1: number, source2: number, slot: number, outWidth: number): void {
  const second = slot + outWidth
  const third = slot + 2 * outWidth
  for (let x = 0; x < outWidth; x++) {
    const a = COLUMN_OFFSET0[x]!
    const b = COLUMN_OFFSET1[x]!
    const w0 = COLUMN_WEIGHT0[x]!
    const w1 = COLUMN_WEIGHT1[x]!
    HORIZONTAL_ROWS[slot + x] = LOOKUP[ROW_BYTES[a + source0]!]! * w0 + fround(LOOKUP[ROW_BYTES[b + source0]!]! * w1)
    HORIZONTAL_ROWS[second + x] = LOOKUP[256 + ROW_BYTES[a + source1]!]! * w0 + fround(LOOKUP[256 + ROW_BYTES[b + source1]!]! * w1)
    HORIZONTAL_ROWS[third + x] = LOOKUP[512 + ROW_BYTES[a + source2]!]! * w0 + fround(LOOKUP[512 + ROW_BYTES[b + source2]!]! * w1)
  }
}

/** OUTPUT_ROW = the two HORIZONTAL_ROWS rows at `top` and `bottom` blended (all three channels). */
function blendRowsFast(top: number, bottom: number, w0: number, w1: number, count: number): void {
  for (let i = 0; i < count; i++) OUTPUT_ROW[i] = HORIZONTAL_ROWS[top + i]! * w0 + fround(HORIZONTAL_ROWS[bottom + i]! * w1)
}

/** The same computation over typed arrays passed as parameters: any width, slower (exported for tests). */
export function resizeNormalizedGeneral(pixels: Uint8Array, width: number, height: number, tables: NormalizationTables, target: ResizeTarget): void {
  const { out, outWidth, outHeight, paddedWidth, paddedHeight } = target
  const columns = cachedAxisTable(width, outWidth)
  const rows = cachedAxisTable(height, outHeight)
  const offset0 = columns.index0.map((index) => index * 3)
  const offset1 = columns.index1.map((index) => index * 3)
  const slots = [new Float32Array(3 * outWidth), new Float32Array(3 * outWidth)] as const
  let slotRow0 = -1
  let slotRow1 = -1
  const [lookup0, lookup1, lookup2] = tables.lookup
  const [source0, source1, source2] = tables.source
  const rowBytes = width * 3
  const rowValues = (sourceRow: number): Float32Array => {
    if (slotRow0 === sourceRow) return slots[0]
    if (slotRow1 === sourceRow) return slots[1]
    let into: Float32Array
    if (slotRow0 < slotRow1) {
      slotRow0 = sourceRow
      into = slots[0]
    } else {
      slotRow1 = sourceRow
      into = slots[1]
    }
    const rowStart = sourceRow * rowBytes
    interpolateRow(pixels, rowStart + source0, rowStart + source1, rowStart + source2, offset0, offset1, columns.weight0, columns.weight1, lookup0, lookup1, lookup2, into, outWidth)
    return into
  }
  const plane = paddedWidth * paddedHeight
  for (let y = 0; y < outHeight; y++) {
    const top = rowValues(rows.index0[y]!)
    const bottom = rowValues(rows.index1[y]!)
    const w0 = rows.weight0[y]!
    const w1 = rows.weight1[y]!
    const rowStart = y * paddedWidth
    blendRows(top, bottom, 0, w0, w1, out, rowStart, outWidth)
    blendRows(top, bottom, outWidth, w0, w1, out, plane + rowStart, outWidth)
    blendRows(top, bottom, 2 * outWidth, w0, w1, out, 2 * plane + rowStart, outWidth)
  }
}

function interpolateRow(
  pixels: Uint8Array,
  start0: number,
  start1: number,
  start2: number,
  offset0: Int32Array,
  offset1: Int32Array,
  weight0: Float32Array,
  weight1: Float32Array,
  lookup0: Float32Array,
  lookup1: Float32Array,
  lookup2: Float32Array,
  into: Float32Array,
  outWidth: number,
): void {
  for (let x = 0; x < outWidth; x++) {
    const a = offset0[x]!
    const b = offset1[x]!
    const w0 = weight0[x]!
    const w1 = weight1[x]!
    into[x] = lookup0[pixels[start0 + a]!]! * w0 + fround(lookup0[pixels[start0 + b]!]! * w1)
    into[outWidth + x] = lookup1[pixels[start1 + a]!]! * w0 + fround(lookup1[pixels[start1 + b]!]! * w1)
    into[2 * outWidth + x] = lookup2[pixels[start2 + a]!]! * w0 + fround(lookup2[pixels[start2 + b]!]! * w1)
  }
}

function blendRows(top: Float32Array, bottom: Float32Array, from: number, w0: number, w1: number, out: Float32Array, to: number, outWidth: number): void {
  for (let x = 0; x < outWidth; x++) out[to + x] = top[from + x]! * w0 + fround(bottom[from + x]! * w1)
}
