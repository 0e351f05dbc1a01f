/**
 * Anchor geometry. An anchor is a pure function of (level, cell, anchor-in-cell), so instead of
 * materialising ΣHWA × 4 floats per image we cache, per padded input size and anchor config, each
 * level's grid size, strides and cell anchors; the decoder computes the few anchors it needs
 * (the top-k survivors) on the fly, exactly as torchvision's AnchorGenerator would produce them.
 */
import type { AnchorConfig } from '../types'
import { roundHalfEven } from './float32'

const f32 = Math.fround

export interface AnchorLevel {
  /** Feature map size. */
  height: number
  width: number
  /** torchvision: padded input size // feature size, per axis (so P6/P7 need not be powers of two). */
  strideY: number
  strideX: number
  anchorsPerCell: number
  /** anchorsPerCell × [x1, y1, x2, y2], already shifted by the cell offset; add (x·strideX, y·strideY). */
  cellAnchors: Float32Array
  /** Index of this level's first anchor in the P3→P7 concatenation. */
  firstAnchor: number
  /** height × width × anchorsPerCell. */
  anchorCount: number
}

export interface AnchorGrid {
  paddedHeight: number
  paddedWidth: number
  levels: AnchorLevel[]
  anchorCount: number
}

/** Stride of the first pyramid level (P3). */
export const FIRST_LEVEL_STRIDE = 8

/**
 * Feature sizes of P3..P(3+levelCount-1) for a padded input side. Every downsampling in the
 * ResNet+FPN chain (7×7/2 pad 3, 3×3/2 pad 1 convs, 3×3/2 pad 1 max pool) maps n to
 * floor((n − 1) / 2) + 1 = ceil(n / 2), and chaining them gives ceil(n / 8) for P3, then halving
 * with ceil for each level above.
 */
export function featureSizes(paddedSide: number, levelCount: number): number[] {
  const sizes: number[] = []
  let size = paddedSide
  for (let halvings = 0; halvings < Math.log2(FIRST_LEVEL_STRIDE); halvings++) size = Math.floor((size - 1) / 2) + 1
  for (let level = 0; level < levelCount; level++) {
    sizes.push(size)
    size = Math.floor((size - 1) / 2) + 1
  }
  return sizes
}

/**
 * Zero-centred anchors of one level, in float32 as torchvision's generate_anchors computes them:
 * h = √ratio, w = 1/h, ws = w·size, hs = h·size, corners ±ws/2, ±hs/2, then (optionally) rounded
 * half to even. Corners are centre ± size/2 under every convention: ODTK's "+1" only changes how
 * the box coder measures an anchor (x2 − x1 + 1), so `plusOne` is the box coder's business.
 */
export function baseAnchors(sizes: readonly number[], config: Pick<AnchorConfig, 'aspectRatios' | 'order' | 'rounding'>): Float32Array {
  const ratios = config.aspectRatios
  const anchors = new Float32Array(sizes.length * ratios.length * 4)
  const round = config.rounding === 'half-even' ? roundHalfEven : (value: number) => value
  let a = 0
  const emit = (size: number, ratio: number): void => {
    const hRatio = f32(Math.sqrt(f32(ratio)))
    const wRatio = f32(1 / hRatio)
    const ws = f32(wRatio * f32(size))
    const hs = f32(hRatio * f32(size))
    anchors[a++] = round(f32(-ws / 2))
    anchors[a++] = round(f32(-hs / 2))
    anchors[a++] = round(f32(ws / 2))
    anchors[a++] = round(f32(hs / 2))
  }
  if (config.order === 'ratio-major') {
    for (const ratio of ratios) for (const size of sizes) emit(size, ratio)
  } else {
    for (const size of sizes) for (const ratio of ratios) emit(size, ratio)
  }
  return anchors
}


/** Builds the anchor grid for explicit per-level feature sizes (read from per-level maps, or derived). */
export function buildAnchorGrid(
  paddedHeight: number,
  paddedWidth: number,
  levelShapes: ReadonlyArray<readonly [height: number, width: number]>,
  config: AnchorConfig,
): AnchorGrid {
  if (levelShapes.length !== config.sizes.length) {
    throw new Error(`the model has ${levelShapes.length} pyramid levels but anchors.sizes lists ${config.sizes.length}`)
  }
  const levels: AnchorLevel[] = []
  let firstAnchor = 0
  const nominal = config.strides === 'nominal'
  levelShapes.forEach(([height, width], index) => {
    const strideY = nominal ? FIRST_LEVEL_STRIDE * 2 ** index : Math.floor(paddedHeight / height)
    const strideX = nominal ? FIRST_LEVEL_STRIDE * 2 ** index : Math.floor(paddedWidth / width)
    if (!(strideY >= 1 && strideX >= 1)) {
      throw new Error(`the P${index + 3} feature map is ${height}×${width}, larger than the ${paddedHeight}×${paddedWidth} padded input`)
    }
    const cellAnchors = baseAnchors(config.sizes[index] ?? [], config)
    if (config.offset !== 0) {
      for (let i = 0; i < cellAnchors.length; i += 2) {
        cellAnchors[i] = f32((cellAnchors[i] ?? 0) + config.offset * strideX)
        cellAnchors[i + 1] = f32((cellAnchors[i + 1] ?? 0) + config.offset * strideY)
      }
    }
    const anchorsPerCell = cellAnchors.length / 4
    const anchorCount = height * width * anchorsPerCell
    levels.push({ height, width, strideY, strideX, anchorsPerCell, cellAnchors, firstAnchor, anchorCount })
    firstAnchor += anchorCount
  })
  return { paddedHeight, paddedWidth, levels, anchorCount: firstAnchor }
}

const cache = new Map<string, AnchorGrid>()
const CACHE_LIMIT = 64

/**
 * The anchor grid for a padded size, level shapes and config, built once and reused: a folder of
 * same-sized images pays for anchors once. Bounded so that a stream of odd sizes cannot grow it.
 */
export function cachedAnchorGrid(
  paddedHeight: number,
  paddedWidth: number,
  levelShapes: ReadonlyArray<readonly [number, number]>,
  config: AnchorConfig,
): AnchorGrid {
  const key = JSON.stringify([paddedHeight, paddedWidth, levelShapes, config])
  const hit = cache.get(key)
  if (hit) return hit
  const grid = buildAnchorGrid(paddedHeight, paddedWidth, levelShapes, config)
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  cache.set(key, grid)
  return grid
}

/** Level shapes of a concat-layout model, derived from the padded input size. */
export function derivedLevelShapes(paddedHeight: number, paddedWidth: number, levelCount: number): Array<[number, number]> {
  const heights = featureSizes(paddedHeight, levelCount)
  const widths = featureSizes(paddedWidth, levelCount)
  return heights.map((height, level) => [height, widths[level] ?? 0])
}

/** Writes anchor `local` of `level` (index within the level, (y·W + x)·A + a) into out[0..3]. */
export function anchorAt(level: AnchorLevel, local: number, out: Float32Array): void {
  const a = local % level.anchorsPerCell
  const cell = (local - a) / level.anchorsPerCell
  const x = cell % level.width
  const y = (cell - x) / level.width
  const shiftX = x * level.strideX
  const shiftY = y * level.strideY
  const base = a * 4
  const cellAnchors = level.cellAnchors
  out[0] = shiftX + (cellAnchors[base] ?? 0)
  out[1] = shiftY + (cellAnchors[base + 1] ?? 0)
  out[2] = shiftX + (cellAnchors[base + 2] ?? 0)
  out[3] = shiftY + (cellAnchors[base + 3] ?? 0)
}

/** Every anchor of the grid, [anchorCount × 4], in the P3→P7, (y·W + x)·A + a order; for inspection and tests. */
export function materializeAnchors(grid: AnchorGrid): Float32Array {
  const all = new Float32Array(grid.anchorCount * 4)
  const one = new Float32Array(4)
  for (const level of grid.levels) {
    for (let local = 0; local < level.anchorCount; local++) {
      anchorAt(level, local, one)
      all.set(one, (level.firstAnchor + local) * 4)
    }
  }
  return all
}
