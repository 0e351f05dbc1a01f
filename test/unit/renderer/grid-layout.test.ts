import { describe, expect, it } from 'vitest'
import { MIN_TILE_WIDTH, TILE_GAP, gridLayout, indicesInRow, pagesCovering } from '../../../src-renderer/src/grid/grid-layout'

describe('gridLayout', () => {
  it('fits as many tiles as the width allows and stretches them to fill the row', () => {
    const layout = gridLayout(1000, 10_000)
    expect(layout.columns).toBe(Math.floor((1000 + TILE_GAP) / (MIN_TILE_WIDTH + TILE_GAP)))
    expect(layout.tileWidth).toBeGreaterThanOrEqual(MIN_TILE_WIDTH)
    expect(layout.columns * layout.tileWidth + (layout.columns - 1) * TILE_GAP).toBeLessThanOrEqual(1000)
    expect(layout.rows).toBe(Math.ceil(10_000 / layout.columns))
  })

  it('keeps one column in a window narrower than a tile', () => {
    expect(gridLayout(90, 3)).toEqual({ columns: 1, rows: 3, tileWidth: 90 })
  })

  it('has no rows for an empty project', () => {
    expect(gridLayout(1200, 0).rows).toBe(0)
  })
})

describe('indicesInRow', () => {
  it('lists the images of a full row and of the shorter last row', () => {
    expect(indicesInRow(1, 4, 10)).toEqual([4, 5, 6, 7])
    expect(indicesInRow(2, 4, 10)).toEqual([8, 9])
  })
})

describe('pagesCovering', () => {
  it('names every page that holds an image of the range', () => {
    expect(pagesCovering(0, 0, 200)).toEqual([0])
    expect(pagesCovering(150, 450, 200)).toEqual([0, 1, 2])
    expect(pagesCovering(400, 399, 200)).toEqual([])
  })
})
