/**
 * The WebAssembly module of the resize kernel (bilinear-wasm.ts runs it), assembled from a
 * readable instruction list: each instruction is named by its text-format mnemonic and encoded
 * as the WebAssembly specification gives it (core 1.0 section 5; SIMD opcodes from the 2.0
 * fixed-width SIMD proposal). Functions:
 *  - horizontal(row, columns, count, into0, into1, into2)
 *  - vertical(top, bottom, into, count, weight0 (f64), weight1 (f32))
 *  - verticalSimd(top, bottom, into, groups, weight0, weight1), with SIMD only
 * Each float32 step is the IEEE operation the JavaScript kernel performs (see bilinear-wasm.ts).
 */

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
export const COLUMN_BYTES = 16
/** Bytes of the three lookup tables at address 0. */
export const LOOKUP_BYTES = 3 * 256 * 4

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

/** The kernel module: exports memory, horizontal, vertical and (withSimd) verticalSimd. */
export function moduleBytes(withSimd: boolean): Uint8Array {
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
