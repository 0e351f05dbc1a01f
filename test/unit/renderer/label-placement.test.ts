import type { Box } from '@shared/geometry/box'
import { describe, expect, it } from 'vitest'
import type { Canvas2D } from '../../../src-renderer/src/viewer/box-painter'
import { paintEvaluationHighlights } from '../../../src-renderer/src/viewer/evaluation-painter'
import { createLabelPlacer, keepOnStage, placeTagBeside } from '../../../src-renderer/src/viewer/label-placement'

const stage = { width: 400, height: 300 }
const tag = { width: 120, height: 18 }

describe('a tag beside one box', () => {
  it('goes below the box when it fits there', () => {
    expect(placeTagBeside([50, 50, 150, 100], tag, stage, 2)).toEqual({ x: 50, y: 102 })
  })

  it('goes above a box at the bottom of the stage, and inside a box as tall as the stage', () => {
    expect(placeTagBeside([50, 200, 150, 295], tag, stage, 2)).toEqual({ x: 50, y: 180 })
    expect(placeTagBeside([50, 0, 150, 300], tag, stage, 2)).toEqual({ x: 50, y: 282 })
  })

  it('shifts right at the left edge and left at the right edge, never leaving the stage', () => {
    // The reported case: a box at the image's left edge, its mark padded a few pixels further out.
    expect(placeTagBeside([-5, 50, 60, 100], tag, stage, 2)).toEqual({ x: 0, y: 102 })
    expect(placeTagBeside([340, 50, 400, 100], tag, stage, 2)).toEqual({ x: 280, y: 102 })
  })

  it('keeps a tag wider than the stage at the left edge, where its text starts', () => {
    expect(keepOnStage({ x: 30, y: 10 }, { width: 500, height: 18 }, stage)).toEqual({ x: 0, y: 10 })
  })
})

describe('the label placer near the stage edges', () => {
  it('puts the label of a box at the top edge inside the box, then below it', () => {
    const placer = createLabelPlacer(stage)
    const box: Box = [10, 0, 60, 40]
    const label = { width: 40, height: 18 }
    expect(placer.place(box, label)).toEqual({ x: 10, y: 0 })
    expect(placer.place(box, label)).toEqual({ x: 10, y: 40 })
  })

  it('shifts labels of boxes at the left and right edges onto the stage', () => {
    const placer = createLabelPlacer(stage)
    expect(placer.place([-20, 100, 30, 150], { width: 40, height: 18 })).toEqual({ x: 0, y: 82 })
    expect(placer.place([380, 100, 400, 150], { width: 60, height: 18 })).toEqual({ x: 340, y: 82 })
  })

  it('gives no label to a box wholly off the stage', () => {
    expect(createLabelPlacer(stage).place([-60, 100, -10, 150], { width: 40, height: 18 })).toBeNull()
  })
})

describe('evaluation tags', () => {
  it('draw a mark at the image edge with its tag wholly on the stage ("square 0.50, label: triangle")', () => {
    const fills: number[][] = []
    const canvas: Canvas2D = {
      save: () => undefined,
      restore: () => undefined,
      beginPath: () => undefined,
      rect: () => undefined,
      stroke: () => undefined,
      fill: () => undefined,
      fillRect: (...rect) => fills.push(rect),
      fillText: () => undefined,
      measureText: (text) => ({ width: text.length * 7 }),
      setLineDash: () => undefined,
      strokeStyle: '',
      fillStyle: '',
      lineWidth: 1,
      globalAlpha: 1,
      font: '',
      textBaseline: '',
    }
    const highlights = [
      { kind: 'wrongClass' as const, box: [0, 40, 30, 80] as const, text: 'square 0.50, label: triangle' },
      { kind: 'missed' as const, box: [370, 270, 400, 300] as const, text: 'missed: hexagon' },
    ]
    paintEvaluationHighlights(canvas, highlights, { scale: 1, offsetX: 0, offsetY: 0 }, 2, stage)
    expect(fills).toHaveLength(2)
    for (const [x, y, w, h] of fills) {
      expect(x).toBeGreaterThanOrEqual(0)
      expect(y).toBeGreaterThanOrEqual(0)
      expect(x! + w!).toBeLessThanOrEqual(stage.width)
      expect(y! + h!).toBeLessThanOrEqual(stage.height)
    }
  })
})
