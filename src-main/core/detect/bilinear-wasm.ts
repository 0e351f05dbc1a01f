/**
 * The bilinear resize kernel (bilinear-resize.ts) as a small WebAssembly module: the same
 * float32 arithmetic instruction for instruction, faster than V8's code for the same loops
 * (no bounds checks, no typed-array reloads). The module is assembled here from a readable
 * instruction list rather than shipped as an opaque blob; `resizeNormalizedWasm` is null where
 * WebAssembly is unavailable, and the JavaScript kernel is used instead.
 *
 * Exactness. For float32 values v0, v1, w0, w1 the JavaScript kernel computes
 * fround(v0·w0 + fround(v1·w1)) in double. Here: v0·w0 as f64.mul of the promoted values (exact:
 * 24 + 24 bits fit in a double's 53), fround(v1·w1) as f32.mul (IEEE rounds the exact product
 * once, as fround does), the sum as f64.add, the final rounding as f32.demote_f64 (the
 * Float32Array store). Every step is IEEE-defined, so the bits are the same on every machine;
 * test/unit/detect/preprocess-fast-path.test.ts checks them against the reference.
 *
 * Memory layout of one call (byte offsets): the three 256-entry lookup tables at 0, one per
 * byte position of a pixel; then per output column (16 bytes) the byte offsets of its two source
 * pixels and their weights; then two horizontally interpolated rows; then one output row; then
 * the source row's bytes. Only rows are copied in, so memory grows with image width, never with
 * image area (WebAssembly memory never shrinks).
 */
import { cachedAxisTable, type NormalizationTables, type ResizeTarget } from './bilinear-resize'

const uleb = (value: number): number[] => {
  const out: number[] = []
  let rest = value >>> 0
  do {
    let byte = rest & 0x7f
    rest >>>= 7
    if (rest !== 0) byte |= 0x80
    out.push(byte)
  } while (rest !== 0)
  return out
}
const sleb = (value: number): number[] => {
  const out: number[] = []
  let rest = value | 0
  for (;;) {
    const byte = rest & 0x7f
    rest >>= 7
    if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) return [...out, byte]
    out.push(byte | 0x80)
  }
}
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()]
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content]
const name = (text: string): number[] => vec([...new TextEncoder().encode(text)].map((byte) => [byte]))

const I32 = 0x7f
const F32 = 0x7d
const F64 = 0x7c
/** The instructions used, with their binary encodings (WebAssembly core spec 1.0, section 5.4). */
const get = (index: number) => [0x20, ...uleb(index)]
const set = (index: number) => [0x21, ...uleb(index)]
const tee = (index: number) => [0x22, ...uleb(index)]
const i32Load = (offset: number) => [0x28, 2, ...uleb(offset)]
const f32Load = (offset: number) => [0x2a, 2, ...uleb(offset)]
const i32Load8U = (offset: number) => [0x2d, 0, ...uleb(offset)]
const f32Store = (offset: number) => [0x38, 2, ...uleb(offset)]
const i32Const = (value: number) => [0x41, ...sleb(value)]
const I32_EQZ = 0x45
const I32_LT_U = 0x49
const I32_ADD = 0x6a
const I32_SHL = 0x74
const F32_MUL = 0x94
const F64_ADD = 0xa0
const F64_MUL = 0xa2
const F32_DEMOTE_F64 = 0xb6
const F64_PROMOTE_F32 = 0xbb
const LOOP = [0x03, 0x40]
const IF = [0x04, 0x40]
const END = 0x0b
const BR_IF_0 = [0x0d, 0]
const RETURN = 0x0f

const V128 = 0x7b
/** SIMD instructions (WebAssembly 2.0, fixed-width SIMD): prefix 0xfd, then the opcode as uleb. */
const simd = (opcode: number, ...immediates: number[]) => [0xfd, ...uleb(opcode), ...immediates]
const v128Load = (offset: number) => simd(0x00, 4, ...uleb(offset))
const v128Store = (offset: number) => simd(0x0b, 4, ...uleb(offset))
const shuffle = (lanes: number[]) => simd(0x0d, ...lanes)
const F32X4_SPLAT = simd(0x13)
const F64X2_SPLAT = simd(0x14)
const F32X4_DEMOTE_F64X2_ZERO = simd(0x5e)
const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f)
const F32X4_MUL = simd(0xe6)
const F64X2_ADD = simd(0xf0)
const F64X2_MUL = simd(0xf2)
/** Bytes 8..15 of the first operand moved to 0..7 (the two high float32 lanes made low). */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]
/** The low 8 bytes of each operand, concatenated. */
const LOW_HALVES = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]

/** Byte size of one column's entry: offset0 (i32), offset1 (i32), weight0 (f32), weight1 (f32). */
const COLUMN_BYTES = 16
const LOOKUP_BYTES = 3 * 256 * 4

/**
 * horizontal(row, columns, count, into0, into1, into2): for each output column, byte position p
 * of its two source pixels (at row + offset0, row + offset1) through lookup table p, blended
 * with the column's weights, stored at into_p (advancing 4 bytes a column).
 * Locals: 6 end of the column table, 7 and 8 the two pixels' addresses, 9 weight0 (as f64), 10 weight1.
 */
function horizontalBody(): number[] {
  const channel = (byte: number, into: number) => [
    ...get(into),
    ...get(7), ...i32Load8U(byte), ...i32Const(2), I32_SHL, ...f32Load(byte * 1024), F64_PROMOTE_F32, ...get(9), F64_MUL,
    ...get(8), ...i32Load8U(byte), ...i32Const(2), I32_SHL, ...f32Load(byte * 1024), ...get(10), F32_MUL, F64_PROMOTE_F32,
    F64_ADD, F32_DEMOTE_F64, ...f32Store(0),
    ...get(into), ...i32Const(4), I32_ADD, ...set(into),
  ]
  return [
    ...get(2), I32_EQZ, ...IF, RETURN, END,
    ...get(1), ...get(2), ...i32Const(4), I32_SHL, I32_ADD, ...set(6),
    ...LOOP,
    ...get(0), ...get(1), ...i32Load(0), I32_ADD, ...set(7),
    ...get(0), ...get(1), ...i32Load(4), I32_ADD, ...set(8),
    ...get(1), ...f32Load(8), F64_PROMOTE_F32, ...set(9),
    ...get(1), ...f32Load(12), ...set(10),
    ...channel(0, 3), ...channel(1, 4), ...channel(2, 5),
    ...get(1), ...i32Const(COLUMN_BYTES), I32_ADD, ...tee(1), ...get(6), I32_LT_U, ...BR_IF_0,
    END,
  ]
}

/** vertical(top, bottom, into, count, weight0 as f64, weight1): into[i] = top[i]·w0 + fround(bottom[i]·w1), rounded. Local 6: end. */
function verticalBody(): number[] {
  return [
    ...get(3), I32_EQZ, ...IF, RETURN, END,
    ...get(2), ...get(3), ...i32Const(2), I32_SHL, I32_ADD, ...set(6),
    ...LOOP,
    ...get(2),
    ...get(0), ...f32Load(0), F64_PROMOTE_F32, ...get(4), F64_MUL,
    ...get(1), ...f32Load(0), ...get(5), F32_MUL, F64_PROMOTE_F32,
    F64_ADD, F32_DEMOTE_F64, ...f32Store(0),
    ...get(0), ...i32Const(4), I32_ADD, ...set(0),
    ...get(1), ...i32Const(4), I32_ADD, ...set(1),
    ...get(2), ...i32Const(4), I32_ADD, ...tee(2), ...get(6), I32_LT_U, ...BR_IF_0,
    END,
  ]
}

/**
 * verticalSimd(top, bottom, into, groups, weight0, weight1): vertical() four values at a time, the
 * same steps per lane (float32 lanes promoted to float64 pairs, f64x2 multiply-add, demoted back).
 * Locals: 6 end, 7 weight0 ×2, 8 weight1 ×4, 9 the top values, 10 the bottom values × weight1.
 */
function verticalSimdBody(): number[] {
  const blendHalf = (high: boolean) => [
    ...get(9), ...(high ? [...get(9), ...shuffle(HIGH_HALF)] : []), ...F64X2_PROMOTE_LOW_F32X4, ...get(7), ...F64X2_MUL,
    ...get(10), ...(high ? [...get(10), ...shuffle(HIGH_HALF)] : []), ...F64X2_PROMOTE_LOW_F32X4, ...F64X2_ADD,
    ...F32X4_DEMOTE_F64X2_ZERO,
  ]
  return [
    ...get(3), I32_EQZ, ...IF, RETURN, END,
    ...get(2), ...get(3), ...i32Const(4), I32_SHL, I32_ADD, ...set(6),
    ...get(4), ...F64X2_SPLAT, ...set(7),
    ...get(5), ...F32X4_SPLAT, ...set(8),
    ...LOOP,
    ...get(0), ...v128Load(0), ...set(9),
    ...get(1), ...v128Load(0), ...get(8), ...F32X4_MUL, ...set(10),
    ...get(2), ...blendHalf(false), ...blendHalf(true), ...shuffle(LOW_HALVES), ...v128Store(0),
    ...get(0), ...i32Const(16), I32_ADD, ...set(0),
    ...get(1), ...i32Const(16), I32_ADD, ...set(1),
    ...get(2), ...i32Const(16), I32_ADD, ...tee(2), ...get(6), I32_LT_U, ...BR_IF_0,
    END,
  ]
}

function moduleBytes(withSimd: boolean): Uint8Array {
  const body = (locals: number[][], code: number[]) => {
    const content = [...vec(locals), ...code, END]
    return [...uleb(content.length), ...content]
  }
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [F64], [F32]]), ...vec([])],
    ])),
    ...section(3, vec(withSimd ? [[0], [1], [1]] : [[0], [1]])),
    ...section(5, vec([[0x00, ...uleb(1)]])),
    ...section(7, vec([
      [...name('memory'), 0x02, 0],
      [...name('horizontal'), 0x00, 0],
      [...name('vertical'), 0x00, 1],
      ...(withSimd ? [[...name('verticalSimd'), 0x00, 2]] : []),
    ])),
    ...section(10, vec([
      body([[1, I32], [1, I32], [1, I32], [1, F64], [1, F32]], horizontalBody()),
      body([[1, I32]], verticalBody()),
      ...(withSimd ? [body([[1, I32], [4, V128]], verticalSimdBody())] : []),
    ])),
  ])
}

/** The parts of the WebAssembly API used (the main process's type library does not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: unknown }
}

interface KernelExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number }
  horizontal(row: number, columns: number, count: number, into0: number, into1: number, into2: number): void
  vertical(top: number, bottom: number, into: number, count: number, weight0: number, weight1: number): void
  /** Absent where the engine has no SIMD; `groups` of four values. */
  verticalSimd?(top: number, bottom: number, into: number, groups: number, weight0: number, weight1: number): void
}

function instantiate(withSimd: boolean): KernelExports | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly
  if (!api) return null
  try {
    return new api.Instance(new api.Module(moduleBytes(withSimd))).exports as KernelExports
  } catch {
    return null
  }
}

// With SIMD if the engine has it (V8 needs SSE4.1), else the scalar loops alone.
const kernel = instantiate(true) ?? instantiate(false)

const align16 = (value: number) => (value + 15) & ~15

function resizeWithKernel(wasm: KernelExports, pixels: Uint8Array, width: number, height: number, tables: NormalizationTables, target: ResizeTarget): void {
  const { out, outWidth, outHeight, paddedWidth, paddedHeight } = target
  const columns = cachedAxisTable(width, outWidth)
  const rows = cachedAxisTable(height, outHeight)
  const columnsAt = LOOKUP_BYTES
  // Each row buffer starts on a 16-byte boundary, as the SIMD loads and stores are declared.
  const slotBytes = align16(3 * outWidth * 4)
  const slotsAt = align16(columnsAt + outWidth * COLUMN_BYTES)
  const outputAt = slotsAt + 2 * slotBytes
  const rowAt = outputAt + slotBytes
  const rowBytes = width * 3
  const needed = rowAt + rowBytes
  if (wasm.memory.buffer.byteLength < needed) wasm.memory.grow(Math.ceil((needed - wasm.memory.buffer.byteLength) / 65536))
  const memory = wasm.memory.buffer
  const bytes = new Uint8Array(memory)
  const floats = new Float32Array(memory)
  const integers = new Int32Array(memory)

  // Byte position p of a pixel feeds tensor channel channelOf[p]; its table goes to segment p.
  const channelOf = [0, 1, 2].map((position) => tables.source.indexOf(position))
  for (let position = 0; position < 3; position++) floats.set(tables.lookup[channelOf[position]!]!, position * 256)
  for (let x = 0; x < outWidth; x++) {
    const entry = (columnsAt + x * COLUMN_BYTES) >> 2
    integers[entry] = columns.index0[x]! * 3
    integers[entry + 1] = columns.index1[x]! * 3
    floats[entry + 2] = columns.weight0[x]!
    floats[entry + 3] = columns.weight1[x]!
  }
  const segment = channelOf.map((channel) => channel * outWidth * 4)
  let slotRow0 = -1
  let slotRow1 = -1
  /** Address of `sourceRow` interpolated, computing it into the older slot if needed (rows come in increasing order). */
  const rowAddress = (sourceRow: number): number => {
    if (slotRow0 === sourceRow) return slotsAt
    if (slotRow1 === sourceRow) return slotsAt + slotBytes
    let slot: number
    if (slotRow0 < slotRow1) {
      slotRow0 = sourceRow
      slot = slotsAt
    } else {
      slotRow1 = sourceRow
      slot = slotsAt + slotBytes
    }
    bytes.set(pixels.subarray(sourceRow * rowBytes, (sourceRow + 1) * rowBytes), rowAt)
    wasm.horizontal(rowAt, columnsAt, outWidth, slot + segment[0]!, slot + segment[1]!, slot + segment[2]!)
    return slot
  }
  const outputIndex = outputAt >> 2
  const channel0 = floats.subarray(outputIndex, outputIndex + outWidth)
  const channel1 = floats.subarray(outputIndex + outWidth, outputIndex + 2 * outWidth)
  const channel2 = floats.subarray(outputIndex + 2 * outWidth, outputIndex + 3 * outWidth)
  const plane = paddedWidth * paddedHeight
  for (let y = 0; y < outHeight; y++) {
    const top = rowAddress(rows.index0[y]!)
    const bottom = rowAddress(rows.index1[y]!)
    blendRows(wasm, top, bottom, outputAt, 3 * outWidth, rows.weight0[y]!, rows.weight1[y]!)
    const rowStart = y * paddedWidth
    out.set(channel0, rowStart)
    out.set(channel1, plane + rowStart)
    out.set(channel2, 2 * plane + rowStart)
  }
}

/** vertical() over `count` values, four at a time where SIMD is there (slots and output rows are 16-byte aligned). */
function blendRows(wasm: KernelExports, top: number, bottom: number, into: number, count: number, weight0: number, weight1: number): void {
  const groups = wasm.verticalSimd ? count >> 2 : 0
  if (groups > 0) wasm.verticalSimd!(top, bottom, into, groups, weight0, weight1)
  const done = groups * 16
  wasm.vertical(top + done, bottom + done, into + done, count - groups * 4, weight0, weight1)
}

type ResizeKernel = (pixels: Uint8Array, width: number, height: number, tables: NormalizationTables, target: ResizeTarget) => void

/** Whether the kernel runs four values at a time in its vertical pass (for tests and reports). */
export const wasmKernelHasSimd = kernel?.verticalSimd !== undefined

/** The WebAssembly kernel, or null where WebAssembly cannot run (the JavaScript kernel is used). */
export const resizeNormalizedWasm: ResizeKernel | null = kernel ? (pixels, width, height, tables, target) => resizeWithKernel(kernel, pixels, width, height, tables, target) : null

/** A separate instance with or without SIMD, so that tests check both variants wherever they run. */
export function wasmKernelVariant(withSimd: boolean): ResizeKernel | null {
  const instance = instantiate(withSimd)
  return instance ? (pixels, width, height, tables, target) => resizeWithKernel(instance, pixels, width, height, tables, target) : null
}
