/**
 * A minimal WebAssembly assembler for the engine's hand-written kernels (bilinear-wasm-module.ts,
 * decode/threshold-scan.ts, and the trainer's training/conv3x3-wasm-module.ts): each instruction named by its text-format mnemonic and encoded as
 * the specification gives it (core 1.0 section 5; SIMD opcodes from the 2.0 fixed-width SIMD
 * proposal), and a module builder for the one shape they need: one memory, exported functions.
 */

export const uleb = (value: number): number[] => {
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

/** Value types. */
export const I32 = 0x7f
export const F32 = 0x7d
export const F64 = 0x7c
export const V128 = 0x7b

export const get = (index: number) => [0x20, ...uleb(index)]
export const set = (index: number) => [0x21, ...uleb(index)]
export const tee = (index: number) => [0x22, ...uleb(index)]
export const i32Load = (offset: number) => [0x28, 2, ...uleb(offset)]
export const f32Load = (offset: number) => [0x2a, 2, ...uleb(offset)]
export const i32Load8U = (offset: number) => [0x2d, 0, ...uleb(offset)]
export const f32Store = (offset: number) => [0x38, 2, ...uleb(offset)]
export const i32Const = (value: number) => [0x41, ...sleb(value)]
export const I32_EQZ = 0x45
export const I32_LT_U = 0x49
export const I32_GT_U = 0x4b
export const I32_GE_U = 0x4f
export const F32_GE = 0x60
export const I32_ADD = 0x6a
export const I32_MUL = 0x6c
export const I32_SHL = 0x74
export const F32_MUL = 0x94
export const F64_ADD = 0xa0
export const F64_MUL = 0xa2
export const F32_DEMOTE_F64 = 0xb6
export const F64_PROMOTE_F32 = 0xbb
export const BLOCK = [0x02, 0x40]
export const LOOP = [0x03, 0x40]
export const IF = [0x04, 0x40]
export const END = 0x0b
export const br = (depth: number) => [0x0c, ...uleb(depth)]
export const brIf = (depth: number) => [0x0d, ...uleb(depth)]
export const RETURN = 0x0f

/** SIMD instructions: prefix 0xfd, then the opcode as uleb. */
const simd = (opcode: number, ...immediates: number[]) => [0xfd, ...uleb(opcode), ...immediates]
export const v128Load = (offset: number) => simd(0x00, 4, ...uleb(offset))
export const v128Store = (offset: number) => simd(0x0b, 4, ...uleb(offset))
/** Loads one float32 (4-byte aligned) into all four lanes. */
export const v128Load32Splat = (offset: number) => simd(0x09, 2, ...uleb(offset))
/** v128.const with all 16 bytes zero. */
export const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0))
export const shuffle = (lanes: number[]) => simd(0x0d, ...lanes)
export const F32X4_SPLAT = simd(0x13)
export const F64X2_SPLAT = simd(0x14)
export const F32X4_GE = simd(0x46)
export const V128_ANY_TRUE = simd(0x53)
export const F32X4_DEMOTE_F64X2_ZERO = simd(0x5e)
export const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f)
export const F32X4_ADD = simd(0xe4)
export const F32X4_MUL = simd(0xe6)
export const F64X2_ADD = simd(0xf0)
export const F64X2_MUL = simd(0xf2)

export interface WasmFunction {
  name: string
  params: number[]
  results: number[]
  /** Extra locals after the parameters, as [count, type] runs. */
  locals: Array<[number, number]>
  code: number[]
}

/** A module with one exported memory ("memory", `pages` of 64 KiB to start) and the given exported functions. */
export function assembleModule(functions: WasmFunction[], pages = 1): Uint8Array {
  const body = (fn: WasmFunction) => {
    const content = [...vec(fn.locals.map(([count, type]) => [...uleb(count), type])), ...fn.code, END]
    return [...uleb(content.length), ...content]
  }
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(functions.map((fn) => [0x60, ...vec(fn.params.map((type) => [type])), ...vec(fn.results.map((type) => [type]))]))),
    ...section(3, vec(functions.map((_, index) => uleb(index)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], ...functions.map((fn, index) => [...name(fn.name), 0x00, ...uleb(index)])])),
    ...section(10, vec(functions.map(body))),
  ])
}

/** The parts of the WebAssembly API used (the main process's type library does not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: unknown }
}

/** The module's exports, or null where WebAssembly is unavailable or rejects the module (no SIMD, say). */
export function instantiateModule<Exports>(bytes: Uint8Array): Exports | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly
  if (!api) return null
  try {
    return new api.Instance(new api.Module(bytes)).exports as Exports
  } catch {
    return null
  }
}

/** The exported memory of a module built by assembleModule. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}
