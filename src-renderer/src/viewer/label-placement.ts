/**
 * Where the class labels of many boxes go so that none prints over another: greedy, in the
 * order asked, each label takes the first free spot of a few candidates (above the box,
 * inside its top edge, below it), or is left out. A coarse grid of occupied cells keeps
 * this linear in the number of labels. One placer serves a whole frame, so labels of
 * different layers (labels, then suggestions) do not overprint each other either.
 *
 * Every spot lies wholly on the stage: a candidate that would stick out is moved the least
 * distance that brings it in (so "above" a box at the top edge becomes "inside its top edge",
 * and a label at the right edge shifts left). A tag cut off at the edge ("quare 0.50, label:
 * triangle", issue 19) reads as another word.
 */
import type { Box } from '@shared/geometry/box'

export interface StageSize {
  width: number
  height: number
}

export interface TagSize {
  width: number
  height: number
}

/** A spot moved the least distance that puts the whole tag on the stage; a tag wider than the stage keeps its start visible. */
export function keepOnStage(spot: { x: number; y: number }, tag: TagSize, stage: StageSize): { x: number; y: number } {
  return {
    x: Math.min(Math.max(spot.x, 0), Math.max(0, stage.width - tag.width)),
    y: Math.min(Math.max(spot.y, 0), Math.max(0, stage.height - tag.height)),
  }
}

/**
 * Where the one tag of a box goes when no other tags compete (the evaluation's marks): below
 * the box, `gap` pixels away; above it when below would leave the stage; inside its bottom edge
 * when neither fits; then shifted left or right onto the stage. Corners in stage pixels.
 */
export function placeTagBeside([x1, y1, , y2]: Readonly<Box>, tag: TagSize, stage: StageSize, gap: number): { x: number; y: number } {
  const below = y2 + gap
  const above = y1 - gap - tag.height
  const y = below + tag.height <= stage.height ? below : above >= 0 ? above : y2 - tag.height
  return keepOnStage({ x: x1, y }, tag, stage)
}

const CELL = 64

export function createLabelPlacer(stage: StageSize) {
  const cells = new Map<number, { x: number; y: number; w: number; h: number }[]>()
  const key = (column: number, row: number) => row * 100_000 + column

  function cellsOf(x: number, y: number, w: number, h: number, visit: (cell: number) => boolean | void): boolean {
    for (let column = Math.floor(x / CELL); column <= Math.floor((x + w) / CELL); column++) {
      for (let row = Math.floor(y / CELL); row <= Math.floor((y + h) / CELL); row++) {
        if (visit(key(column, row)) === false) return false
      }
    }
    return true
  }

  function free(x: number, y: number, w: number, h: number): boolean {
    return cellsOf(x, y, w, h, (cell) => {
      for (const other of cells.get(cell) ?? []) {
        if (x < other.x + other.w && other.x < x + w && y < other.y + other.h && other.y < y + h) return false
      }
      return true
    })
  }

  return {
    /**
     * The spot given to the label of a box (corners in stage pixels), or null when every
     * candidate would overprint another.
     */
    place([x1, y1, x2, y2]: Readonly<Box>, tag: TagSize): { x: number; y: number } | null {
      const { width, height } = tag
      // A box wholly off the stage has no label: moved onto the stage, it would name nothing there.
      if (x2 < 0 || y2 < 0 || x1 > stage.width || y1 > stage.height) return null
      const candidates = [
        { x: x1, y: y1 - height },
        { x: x1, y: y1 },
        { x: x1, y: y2 },
      ].map((spot) => keepOnStage(spot, tag, stage))
      for (const { x, y } of candidates) {
        if (!free(x, y, width, height)) continue
        const rect = { x, y, w: width, h: height }
        cellsOf(x, y, width, height, (cell) => {
          const list = cells.get(cell)
          if (list) list.push(rect)
          else cells.set(cell, [rect])
        })
        return { x, y }
      }
      return null
    },
  }
}

export type LabelPlacer = ReturnType<typeof createLabelPlacer>
