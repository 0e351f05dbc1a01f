/**
 * Where the class labels of many boxes go so that none prints over another: greedy, in the
 * order asked, each label takes the first free spot of a few candidates (above the box,
 * inside its top edge, below it), or is left out. A coarse grid of occupied cells keeps
 * this linear in the number of labels. One placer serves a whole frame, so labels of
 * different layers (labels, then suggestions) do not overprint each other either.
 */

export interface LabelRequest {
  /** Box corners in stage pixels. */
  x1: number
  y1: number
  x2: number
  y2: number
  /** Label size in stage pixels. */
  width: number
  height: number
}

const CELL = 64

export function createLabelPlacer(stage: { width: number; height: number }) {
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
    if (x + w < 0 || y + h < 0 || x > stage.width || y > stage.height) return false
    return cellsOf(x, y, w, h, (cell) => {
      for (const other of cells.get(cell) ?? []) {
        if (x < other.x + other.w && other.x < x + w && y < other.y + other.h && other.y < y + h) return false
      }
      return true
    })
  }

  return {
    /** The spot given to this label, or null when every candidate would overprint another. */
    place(request: LabelRequest): { x: number; y: number } | null {
      const { x1, y1, y2, width, height } = request
      const candidates: [number, number][] = [
        [x1, y1 - height],
        [x1, y1],
        [x1, y2],
      ]
      for (const [x, y] of candidates) {
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
