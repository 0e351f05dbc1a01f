/**
 * The bilinear resize kernel (bilinear-resize.ts) as a small WebAssembly module: the same
 * float32 arithmetic instruction for instruction, faster than V8's code for the same loops
 * (no bounds checks, no typed-array reloads), with the vertical pass four values at a time where
 * the engine has SIMD. The module is assembled in code (bilinear-wasm-module.ts) rather than
 * shipped as an opaque blob; `resizeNormalizedWasm` is null where WebAssembly is unavailable,
 * and the JavaScript kernel is used instead.
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
import { COLUMN_BYTES, LOOKUP_BYTES, moduleBytes } from './bilinear-wasm-module'

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
