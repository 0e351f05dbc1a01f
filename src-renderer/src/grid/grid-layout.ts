/**
 * Pure arithmetic of the thumbnail grid: how many tiles fit in a row, how many rows there
 * are, and which images (and which pages of `images.list`) a range of rows shows.
 */

export interface GridLayout {
  columns: number
  rows: number
  /** Width of one tile, so the row fills the available width exactly. */
  tileWidth: number
}

export const MIN_TILE_WIDTH = 168
export const TILE_GAP = 8

export function gridLayout(availableWidth: number, itemCount: number): GridLayout {
  const usable = Math.max(0, availableWidth)
  const columns = Math.max(1, Math.floor((usable + TILE_GAP) / (MIN_TILE_WIDTH + TILE_GAP)))
  const tileWidth = Math.max(1, Math.floor((usable - TILE_GAP * (columns - 1)) / columns))
  return { columns, rows: Math.ceil(itemCount / columns), tileWidth }
}

/** Indices of the images in `row`, clipped to the item count. */
export function indicesInRow(row: number, columns: number, itemCount: number): number[] {
  const first = row * columns
  const last = Math.min(itemCount, first + columns)
  const indices: number[] = []
  for (let index = first; index < last; index++) indices.push(index)
  return indices
}

/** The pages of size `pageSize` that cover image indices [first, last] (inclusive). */
export function pagesCovering(first: number, last: number, pageSize: number): number[] {
  if (last < first) return []
  const pages: number[] = []
  for (let page = Math.floor(first / pageSize); page <= Math.floor(last / pageSize); page++) pages.push(page)
  return pages
}
