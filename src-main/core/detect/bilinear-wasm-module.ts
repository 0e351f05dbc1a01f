/**
 * The WebAssembly module of the resize kernel (bilinear-wasm.ts runs it), assembled from a
 * readable instruction list (wasm-assembly.ts). Functions:
 *  - horizontal(row, columns, count, into0, into1, into2)
 *  - vertical(top, bottom, into, count, weight0 (f64), weight1 (f32))
 *  - verticalSimd(top, bottom, into, groups, weight0, weight1), with SIMD only
 * Each float32 step is the IEEE operation the JavaScript kernel performs (see bilinear-wasm.ts).
 */
import {
  assembleModule,
  brIf,
  END,
  F32,
  F32_DEMOTE_F64,
  F32_MUL,
  f32Load,
  f32Store,
  F32X4_DEMOTE_F64X2_ZERO,
  F32X4_MUL,
  F32X4_SPLAT,
  F64,
  F64_ADD,
  F64_MUL,
  F64_PROMOTE_F32,
  F64X2_ADD,
  F64X2_MUL,
  F64X2_PROMOTE_LOW_F32X4,
  F64X2_SPLAT,
  get,
  I32,
  I32_ADD,
  I32_EQZ,
  I32_LT_U,
  I32_SHL,
  i32Const,
  i32Load,
  i32Load8U,
  IF,
  LOOP,
  RETURN,
  set,
  shuffle,
  tee,
  V128,
  v128Load,
  v128Store,
  type WasmFunction,
} from './wasm-assembly'

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
    ...get(1), ...i32Const(COLUMN_BYTES), I32_ADD, ...tee(1), ...get(6), I32_LT_U, ...brIf(0),
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
    ...get(2), ...i32Const(4), I32_ADD, ...tee(2), ...get(6), I32_LT_U, ...brIf(0),
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
    ...get(2), ...i32Const(16), I32_ADD, ...tee(2), ...get(6), I32_LT_U, ...brIf(0),
    END,
  ]
}

/** The kernel module: exports memory, horizontal, vertical and (withSimd) verticalSimd. */
export function moduleBytes(withSimd: boolean): Uint8Array {
  const functions: WasmFunction[] = [
    { name: 'horizontal', params: [I32, I32, I32, I32, I32, I32], results: [], locals: [[3, I32], [1, F64], [1, F32]], code: horizontalBody() },
    { name: 'vertical', params: [I32, I32, I32, I32, F64, F32], results: [], locals: [[1, I32]], code: verticalBody() },
  ]
  if (withSimd) {
    functions.push({ name: 'verticalSimd', params: [I32, I32, I32, I32, F64, F32], results: [], locals: [[1, I32], [4, V128]], code: verticalSimdBody() })
  }
  return assembleModule(functions)
}
