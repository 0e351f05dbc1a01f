/**
 * The WebAssembly SIMD module of the trainer's 3×3 convolution (conv3x3-wasm.ts runs it),
 * assembled from readable instruction lists (detect/wasm-assembly.ts). Both functions work on
 * a level laid out position-major with a zero border (see conv3x3-wasm.ts): the input row of
 * output position p under tap k is row p + tap[k], so the 3×3 convolution is nine matrix
 * products over shifted rows and no im2col matrix is ever built.
 *
 *  - forward(features, weights, bias, taps, output, rows, rowBytes, outBytes, tapBytes):
 *      output[p][o] = bias[o] + Σ_k Σ_c features[p + tap_k][c] · weights[k][c][o]
 *  - weightGradient(features, gradient, taps, weightGradient, rows, rowBytes, outBytes, tapBytes):
 *      weightGradient[k][c][o] += Σ_p features[p + tap_k][c] · gradient[p][o]
 *
 * Addresses are byte addresses; rowBytes = 4·C′ (padded input channels), outBytes = 4·O′
 * (padded output channels), tapBytes = C′·outBytes (one tap's weights), taps = nine i32 byte
 * offsets. Each function computes a register tile at a time: forward a tile of
 * FORWARD_TILE.rows positions × FORWARD_TILE.vectors·4 output channels, the input values
 * broadcast across lanes and the weights read as vectors; weightGradient a tile of
 * GRADIENT_TILE.channels input channels × GRADIENT_TILE.vectors·4 output channels for one tap,
 * summed over the rows it is given. The caller pads rows to a multiple of FORWARD_TILE.rows, C′
 * to a multiple of GRADIENT_TILE.channels and O′ to a multiple of 4·vectors of both, with zeros.
 *
 * Arithmetic is float32 multiply then float32 add (no fused multiply-add: plain WebAssembly
 * SIMD has none), in a fixed order, so results are the same bits on every machine.
 */
import {
  assembleModule,
  brIf,
  END,
  F32X4_ADD,
  F32X4_MUL,
  get,
  I32,
  I32_ADD,
  I32_EQZ,
  I32_LT_U,
  I32_MUL,
  i32Const,
  i32Load,
  IF,
  LOOP,
  RETURN,
  set,
  tee,
  V128,
  V128_ZERO,
  v128Load,
  v128Load32Splat,
  v128Store,
  type WasmFunction,
} from '../detect/wasm-assembly'

export interface ForwardTile {
  /** Output positions per tile (each needs its own broadcast load). */
  rows: number
  /** Vectors of four output channels per tile. */
  vectors: number
}

export interface GradientTile {
  /** Input channels per tile (adjacent in a row, so broadcast loads at constant offsets). */
  channels: number
  /** Vectors of four output channels per tile. */
  vectors: number
}

/**
 * Tiles sized for 16 vector registers (x86-64 without AVX-512 registers in V8): forward keeps
 * rows·vectors accumulators, vectors weights and one broadcast live; weightGradient
 * channels·vectors accumulators, vectors gradients and one broadcast.
 */
export const FORWARD_TILE: ForwardTile = { rows: 4, vectors: 2 }
export const GRADIENT_TILE: GradientTile = { channels: 4, vectors: 2 }

export const TAP_COUNT = 9

/** Hands out local indices after the parameters, in declaration order (i32 ones first, then v128). */
function localAllocator(parameterCount: number) {
  let next = parameterCount
  const i32: number[] = []
  const v128: number[] = []
  return {
    i32(): number {
      if (v128.length > 0) throw new Error('i32 locals come before v128 locals')
      i32.push(next)
      return next++
    },
    /** Call only after every i32 local is allocated: the locals are declared as two runs. */
    v128(): number {
      v128.push(next)
      return next++
    },
    declarations(): Array<[number, number]> {
      return [
        [i32.length, I32],
        [v128.length, V128],
      ]
    },
  }
}

const add = (local: number, amount: number[]) => [...get(local), ...amount, I32_ADD, ...set(local)]

function forwardFunction(tile: ForwardTile): WasmFunction {
  const [FEATURES, WEIGHTS, BIAS, TAPS, OUTPUT, ROWS, ROW_BYTES, OUT_BYTES, TAP_BYTES] = [0, 1, 2, 3, 4, 5, 6, 7, 8]
  const locals = localAllocator(9)
  const featureEnd = locals.i32()
  const featureRow = locals.i32()
  const outputRow = locals.i32()
  const channel = locals.i32()
  const tap = locals.i32()
  const input = locals.i32()
  const inputEnd = locals.i32()
  const weight = locals.i32()
  const tapWeights = locals.i32()
  const store = locals.i32()
  const tileFeatureBytes = locals.i32()
  const tileOutputBytes = locals.i32()
  /** rowOffset[i]: bytes from a tile's first position to its i-th (i ≥ 1). */
  const rowOffset = Array.from({ length: tile.rows }, (_, i) => (i === 0 ? -1 : locals.i32()))
  const accumulator = Array.from({ length: tile.rows }, () => Array.from({ length: tile.vectors }, () => locals.v128()))
  const weights = Array.from({ length: tile.vectors }, () => locals.v128())
  const broadcast = locals.v128()

  const rows = [...Array(tile.rows).keys()]
  const vectors = [...Array(tile.vectors).keys()]
  return {
    name: 'forward',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: locals.declarations(),
    code: [
      ...get(ROWS), I32_EQZ, ...IF, RETURN, END,
      ...rows.slice(1).flatMap((i) => [...get(ROW_BYTES), ...i32Const(i), I32_MUL, ...set(rowOffset[i]!)]),
      ...get(ROW_BYTES), ...i32Const(tile.rows), I32_MUL, ...set(tileFeatureBytes),
      ...get(OUT_BYTES), ...i32Const(tile.rows), I32_MUL, ...set(tileOutputBytes),
      ...get(FEATURES), ...get(ROWS), ...get(ROW_BYTES), I32_MUL, I32_ADD, ...set(featureEnd),
      ...get(FEATURES), ...set(featureRow),
      ...get(OUTPUT), ...set(outputRow),
      ...LOOP, // tiles of positions
      ...i32Const(0), ...set(channel),
      ...LOOP, // tiles of output channels (channel: byte offset of the tile's first)
      ...rows.flatMap((i) => vectors.flatMap((j) => [...get(BIAS), ...get(channel), I32_ADD, ...v128Load(16 * j), ...set(accumulator[i]![j]!)])),
      ...get(WEIGHTS), ...get(channel), I32_ADD, ...set(tapWeights),
      ...i32Const(0), ...set(tap),
      ...LOOP, // taps (tap: byte offset into the tap table)
      ...get(featureRow), ...get(TAPS), ...get(tap), I32_ADD, ...i32Load(0), I32_ADD, ...tee(input),
      ...get(ROW_BYTES), I32_ADD, ...set(inputEnd),
      ...get(tapWeights), ...set(weight),
      ...LOOP, // input channels
      ...vectors.flatMap((j) => [...get(weight), ...v128Load(16 * j), ...set(weights[j]!)]),
      ...rows.flatMap((i) => [
        ...get(input), ...(i === 0 ? [] : [...get(rowOffset[i]!), I32_ADD]), ...v128Load32Splat(0), ...set(broadcast),
        ...vectors.flatMap((j) => [
          ...get(accumulator[i]![j]!), ...get(broadcast), ...get(weights[j]!), ...F32X4_MUL, ...F32X4_ADD, ...set(accumulator[i]![j]!),
        ]),
      ]),
      ...add(weight, get(OUT_BYTES)),
      ...get(input), ...i32Const(4), I32_ADD, ...tee(input), ...get(inputEnd), I32_LT_U, ...brIf(0),
      END,
      ...add(tapWeights, get(TAP_BYTES)),
      ...get(tap), ...i32Const(4), I32_ADD, ...tee(tap), ...i32Const(4 * TAP_COUNT), I32_LT_U, ...brIf(0),
      END,
      ...get(outputRow), ...get(channel), I32_ADD, ...set(store),
      ...rows.flatMap((i) => [
        ...vectors.flatMap((j) => [...get(store), ...get(accumulator[i]![j]!), ...v128Store(16 * j)]),
        ...(i < tile.rows - 1 ? add(store, get(OUT_BYTES)) : []),
      ]),
      ...get(channel), ...i32Const(16 * tile.vectors), I32_ADD, ...tee(channel), ...get(OUT_BYTES), I32_LT_U, ...brIf(0),
      END,
      ...add(outputRow, get(tileOutputBytes)),
      ...get(featureRow), ...get(tileFeatureBytes), I32_ADD, ...tee(featureRow), ...get(featureEnd), I32_LT_U, ...brIf(0),
      END,
    ],
  }
}

function weightGradientFunction(tile: GradientTile): WasmFunction {
  const [FEATURES, GRADIENT, TAPS, WEIGHT_GRADIENT, ROWS, ROW_BYTES, OUT_BYTES, TAP_BYTES] = [0, 1, 2, 3, 4, 5, 6, 7]
  const locals = localAllocator(8)
  const gradientEnd = locals.i32()
  const tap = locals.i32()
  const tapInput = locals.i32()
  const tapGradient = locals.i32()
  const channel = locals.i32()
  const gradientRow = locals.i32()
  const output = locals.i32()
  const input = locals.i32()
  const gradient = locals.i32()
  const outputEnd = locals.i32()
  const store = locals.i32()
  const channelTileBytes = locals.i32()
  const accumulator = Array.from({ length: tile.channels }, () => Array.from({ length: tile.vectors }, () => locals.v128()))
  const gradients = Array.from({ length: tile.vectors }, () => locals.v128())
  const broadcast = locals.v128()

  const channels = [...Array(tile.channels).keys()]
  const vectors = [...Array(tile.vectors).keys()]
  return {
    name: 'weightGradient',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: locals.declarations(),
    code: [
      ...get(ROWS), I32_EQZ, ...IF, RETURN, END,
      ...get(GRADIENT), ...get(ROWS), ...get(OUT_BYTES), I32_MUL, I32_ADD, ...set(gradientEnd),
      ...get(OUT_BYTES), ...i32Const(tile.channels), I32_MUL, ...set(channelTileBytes),
      ...get(WEIGHT_GRADIENT), ...set(tapGradient),
      ...i32Const(0), ...set(tap),
      ...LOOP, // taps
      ...get(FEATURES), ...get(TAPS), ...get(tap), I32_ADD, ...i32Load(0), I32_ADD, ...set(tapInput),
      ...get(tapGradient), ...set(gradientRow),
      ...i32Const(0), ...set(channel),
      ...LOOP, // tiles of input channels (channel: byte offset within a row)
      ...i32Const(0), ...set(output),
      ...LOOP, // tiles of output channels (output: byte offset within a gradient row)
      ...channels.flatMap((i) => vectors.flatMap((j) => [...V128_ZERO, ...set(accumulator[i]![j]!)])),
      ...get(tapInput), ...get(channel), I32_ADD, ...set(input),
      ...get(GRADIENT), ...get(output), I32_ADD, ...set(gradient),
      ...get(gradientEnd), ...get(output), I32_ADD, ...set(outputEnd),
      ...LOOP, // positions
      ...vectors.flatMap((j) => [...get(gradient), ...v128Load(16 * j), ...set(gradients[j]!)]),
      ...channels.flatMap((i) => [
        ...get(input), ...v128Load32Splat(4 * i), ...set(broadcast),
        ...vectors.flatMap((j) => [
          ...get(accumulator[i]![j]!), ...get(broadcast), ...get(gradients[j]!), ...F32X4_MUL, ...F32X4_ADD, ...set(accumulator[i]![j]!),
        ]),
      ]),
      ...add(input, get(ROW_BYTES)),
      ...get(gradient), ...get(OUT_BYTES), I32_ADD, ...tee(gradient), ...get(outputEnd), I32_LT_U, ...brIf(0),
      END,
      ...get(gradientRow), ...get(output), I32_ADD, ...set(store),
      ...channels.flatMap((i) => [
        ...vectors.flatMap((j) => [
          ...get(store), ...get(store), ...v128Load(16 * j), ...get(accumulator[i]![j]!), ...F32X4_ADD, ...v128Store(16 * j),
        ]),
        ...(i < tile.channels - 1 ? add(store, get(OUT_BYTES)) : []),
      ]),
      ...get(output), ...i32Const(16 * tile.vectors), I32_ADD, ...tee(output), ...get(OUT_BYTES), I32_LT_U, ...brIf(0),
      END,
      ...add(gradientRow, get(channelTileBytes)),
      ...get(channel), ...i32Const(4 * tile.channels), I32_ADD, ...tee(channel), ...get(ROW_BYTES), I32_LT_U, ...brIf(0),
      END,
      ...add(tapGradient, get(TAP_BYTES)),
      ...get(tap), ...i32Const(4), I32_ADD, ...tee(tap), ...i32Const(4 * TAP_COUNT), I32_LT_U, ...brIf(0),
      END,
    ],
  }
}

/** The kernel module: exports memory, forward and weightGradient. */
export function convolutionModuleBytes(forwardTile: ForwardTile = FORWARD_TILE, gradientTile: GradientTile = GRADIENT_TILE): Uint8Array {
  return assembleModule([forwardFunction(forwardTile), weightGradientFunction(gradientTile)])
}
