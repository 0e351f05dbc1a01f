/**
 * The threshold scan (candidate-buffer.ts) with WebAssembly SIMD: four float32 scores compared
 * with the bound at once, and only a group holding a candidate looked at one by one. The scan
 * reads every score the model produced, and almost none pass, so skipping whole groups is most
 * of its cost. Comparisons are IEEE float32 `>=` (NaN never passes), as in JavaScript, and the
 * bound must itself be a float32 value for that to be the same comparison; callers check.
 *
 * firstAtOrAbove(start, end, bound) → the byte address of the first float32 in [start, end) that
 * is >= bound, or `end`. Locals: 3 the bound in all four lanes.
 */
import {
  assembleModule,
  BLOCK,
  br,
  brIf,
  END,
  F32,
  F32_GE,
  f32Load,
  F32X4_GE,
  F32X4_SPLAT,
  get,
  I32,
  I32_ADD,
  I32_GE_U,
  I32_GT_U,
  i32Const,
  instantiateModule,
  LOOP,
  set,
  V128,
  V128_ANY_TRUE,
  v128Load,
  type WasmMemory,
} from '../wasm-assembly'

function firstAtOrAboveBody(): number[] {
  return [
    ...get(2), ...F32X4_SPLAT, ...set(3),
    // Groups of four while a whole group fits; leave at the first group with a candidate.
    ...BLOCK,
    ...LOOP,
    ...get(0), ...i32Const(16), I32_ADD, ...get(1), I32_GT_U, ...brIf(1),
    ...get(0), ...v128Load(0), ...get(3), ...F32X4_GE, ...V128_ANY_TRUE, ...brIf(1),
    ...get(0), ...i32Const(16), I32_ADD, ...set(0),
    ...br(0),
    END,
    END,
    // One by one: within the group found, or through the last few values.
    ...BLOCK,
    ...LOOP,
    ...get(0), ...get(1), I32_GE_U, ...brIf(1),
    ...get(0), ...f32Load(0), ...get(2), F32_GE, ...brIf(1),
    ...get(0), ...i32Const(4), I32_ADD, ...set(0),
    ...br(0),
    END,
    END,
    ...get(0),
  ]
}

interface ScanExports {
  memory: WasmMemory
  firstAtOrAbove(start: number, end: number, bound: number): number
}

/** Values scanned per call: one 64 KiB page. */
export const SCAN_CHUNK_VALUES = 16384

const scanner = instantiateModule<ScanExports>(
  assembleModule([{ name: 'firstAtOrAbove', params: [I32, I32, F32], results: [I32], locals: [[1, V128]], code: firstAtOrAboveBody() }], 1),
)
const chunk = scanner ? new Float32Array(scanner.memory.buffer, 0, SCAN_CHUNK_VALUES) : null

/**
 * Calls found(i, value) for each scores[i] >= bound, in order. False (and nothing called) where
 * WebAssembly SIMD is unavailable or `bound` is not a float32 value: the caller scans itself.
 */
export function scanAtOrAbove(scores: Float32Array, bound: number, found: (index: number, value: number) => void): boolean {
  if (!scanner || !chunk || Math.fround(bound) !== bound) return false
  for (let start = 0; start < scores.length; start += SCAN_CHUNK_VALUES) {
    const count = Math.min(SCAN_CHUNK_VALUES, scores.length - start)
    chunk.set(scores.subarray(start, start + count))
    const end = count * 4
    for (let address = scanner.firstAtOrAbove(0, end, bound); address < end; address = scanner.firstAtOrAbove(address + 4, end, bound)) {
      found(start + (address >> 2), chunk[address >> 2]!)
    }
  }
  return true
}

/** Whether scanAtOrAbove runs here (for tests). */
export const simdScanAvailable = scanner !== null
