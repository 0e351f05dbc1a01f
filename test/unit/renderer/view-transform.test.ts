import { describe, expect, it } from 'vitest'
import {
  MAX_SCALE,
  MIN_SCALE,
  fitTransform,
  panBy,
  scaleAfterWheel,
  stageToImage,
  zoomAround,
} from '../../../src-renderer/src/viewer/view-transform'

describe('fitTransform', () => {
  it('scales a wide image to the stage width and centres it vertically', () => {
    expect(fitTransform({ width: 400, height: 100 }, { width: 800, height: 600 })).toEqual({
      scale: 2,
      offsetX: 0,
      offsetY: 200,
    })
  })

  it('scales a tall image to the stage height and centres it horizontally, inside the margin', () => {
    const transform = fitTransform({ width: 100, height: 400 }, { width: 820, height: 620 }, 10)
    expect(transform.scale).toBe(1.5)
    expect(transform.offsetY).toBe(10)
    expect(transform.offsetX).toBe((820 - 150) / 2)
  })

  it('enlarges small images but never beyond the maximum zoom', () => {
    expect(fitTransform({ width: 2, height: 2 }, { width: 1000, height: 1000 }).scale).toBe(MAX_SCALE)
  })

  it('falls back to 1:1 while a size is still unknown', () => {
    expect(fitTransform({ width: 0, height: 0 }, { width: 800, height: 600 })).toEqual({ scale: 1, offsetX: 0, offsetY: 0 })
    expect(fitTransform({ width: 10, height: 10 }, { width: 0, height: 0 })).toEqual({ scale: 1, offsetX: 0, offsetY: 0 })
  })
})

describe('zoomAround', () => {
  it('keeps the image point under the anchor where it was', () => {
    const before = { scale: 0.75, offsetX: 40, offsetY: -25 }
    const anchor = { x: 313, y: 207 }
    const after = zoomAround(before, anchor, 3.2)
    const pointBefore = stageToImage(before, anchor)
    const pointAfter = stageToImage(after, anchor)
    expect(after.scale).toBe(3.2)
    expect(pointAfter.x).toBeCloseTo(pointBefore.x, 9)
    expect(pointAfter.y).toBeCloseTo(pointBefore.y, 9)
  })

  it('clamps the scale to the allowed range', () => {
    const start = { scale: 1, offsetX: 0, offsetY: 0 }
    expect(zoomAround(start, { x: 0, y: 0 }, 1e6).scale).toBe(MAX_SCALE)
    expect(zoomAround(start, { x: 0, y: 0 }, 0).scale).toBe(MIN_SCALE)
  })
})

describe('scaleAfterWheel', () => {
  it('zooms in for a wheel moved up and out by the same factor for the way back', () => {
    const zoomedIn = scaleAfterWheel(1, -100)
    expect(zoomedIn).toBeGreaterThan(1)
    expect(scaleAfterWheel(zoomedIn, 100)).toBeCloseTo(1, 12)
  })

  it('zooms gently: six notches from 215 % stay well below the old 1864 %, and a huge delta counts as one notch', () => {
    let scale = 2.15
    for (let notch = 0; notch < 6; notch++) scale = scaleAfterWheel(scale, -100)
    expect(scale).toBeGreaterThan(3.5)
    expect(scale).toBeLessThan(5)
    expect(scaleAfterWheel(1, -1000)).toBe(scaleAfterWheel(1, -100))
  })
})

describe('panBy', () => {
  it('moves the offset by the drag distance and keeps the scale', () => {
    expect(panBy({ scale: 2, offsetX: 10, offsetY: 20 }, -15, 7)).toEqual({ scale: 2, offsetX: -5, offsetY: 27 })
  })
})
