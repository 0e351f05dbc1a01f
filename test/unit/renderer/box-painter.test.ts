import type { Box } from '@shared/geometry/box'
import { describe, expect, it } from 'vitest'
import {
  DARK_HALO,
  haloColor,
  LIGHT_HALO,
  paintBoxes,
  readableTextColor,
  type Canvas2D,
  type PaintBox,
} from '../../../src-renderer/src/viewer/box-painter'
import { createLabelPlacer } from '../../../src-renderer/src/viewer/label-placement'

/** Records what a painter does, with 7 px per character as the text width. */
function recordingCanvas() {
  const calls: string[] = []
  const canvas: Canvas2D = {
    save: () => calls.push('save'),
    restore: () => calls.push('restore'),
    beginPath: () => calls.push('beginPath'),
    rect: () => calls.push('rect'),
    stroke: () => calls.push('stroke'),
    fill: () => calls.push('fill'),
    fillRect: () => calls.push('fillRect'),
    fillText: (text) => calls.push(`text ${text}`),
    measureText: (text) => ({ width: text.length * 7 }),
    setLineDash: () => undefined,
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    font: '',
    textBaseline: '',
  }
  return { canvas, calls }
}

const identity = { scale: 1, offsetX: 0, offsetY: 0 }
const stage = { width: 1000, height: 1000 }
const looks: Record<number, { name: string; color: string }> = { 1: { name: 'car', color: '#ff0000' }, 2: { name: 'person', color: '#00ff00' } }
const lookOf = (classId: number) => looks[classId] ?? { name: '?', color: '#888888' }

describe('paintBoxes', () => {
  it('strokes thousands of boxes in a halo path plus one path per colour, not one per box', () => {
    const boxes: PaintBox[] = Array.from({ length: 2000 }, (_, index) => ({
      id: index,
      classId: (index % 2) + 1,
      box: [(index % 50) * 20, Math.floor(index / 50) * 20, (index % 50) * 20 + 15, Math.floor(index / 50) * 20 + 15],
      score: 0.5,
    }))
    const { canvas, calls } = recordingCanvas()
    const result = paintBoxes(canvas, boxes, identity, stage, lookOf, { lineWidth: 2, fillOpacity: 0, showLabels: false })
    expect(result.drawn).toBe(2000)
    expect(calls.filter((call) => call === 'stroke')).toHaveLength(3)
  })

  it('skips boxes off the stage', () => {
    const { canvas } = recordingCanvas()
    const result = paintBoxes(canvas, [{ id: 1, classId: 1, box: [2000, 2000, 2100, 2100], score: null }], identity, stage, lookOf, {
      lineWidth: 2,
      fillOpacity: 0,
      showLabels: true,
    })
    expect(result.drawn).toBe(0)
  })

  it('leaves out labels that would print over another, and names the score of detections only', () => {
    const boxes: PaintBox[] = [
      // Four boxes in one place: three labels fit (above, inside the top edge, below); the fourth would overprint.
      { id: 1, classId: 1, box: [100, 100, 200, 150], score: null },
      { id: 2, classId: 2, box: [100, 100, 200, 150], score: 0.87 },
      { id: 3, classId: 1, box: [100, 100, 200, 150], score: null },
      { id: 4, classId: 1, box: [100, 100, 200, 150], score: null },
    ]
    const { canvas, calls } = recordingCanvas()
    const result = paintBoxes(canvas, boxes, identity, stage, lookOf, { lineWidth: 2, fillOpacity: 0, showLabels: true })
    expect(result.labelled).toBe(3)
    const texts = calls.filter((call) => call.startsWith('text '))
    expect(texts).toContain('text person 0.87')
    expect(texts.filter((text) => text === 'text car')).toHaveLength(2)
  })
})

describe('label placement', () => {
  it('gives each label a spot no other label holds', () => {
    const placer = createLabelPlacer(stage)
    const box: Box = [10, 50, 60, 90]
    const label = { width: 40, height: 18 }
    expect(placer.place(box, label)).toEqual({ x: 10, y: 32 })
    expect(placer.place(box, label)).toEqual({ x: 10, y: 50 })
    expect(placer.place(box, label)).toEqual({ x: 10, y: 90 })
    expect(placer.place(box, label)).toBeNull()
  })
})

describe('readableTextColor', () => {
  it('writes dark on light colours and light on dark ones', () => {
    expect(readableTextColor('#ffff00')).toBe('#111111')
    expect(readableTextColor('#0000aa')).toBe('#ffffff')
  })
})

/** Records each stroke with the style, width and rectangles of its path. */
function strokeRecorder() {
  const strokes: { style: unknown; width: number; rects: number[][] }[] = []
  let path: number[][] = []
  const canvas: Canvas2D = {
    save: () => undefined,
    restore: () => undefined,
    beginPath: () => (path = []),
    rect: (x, y, w, h) => path.push([x, y, w, h]),
    stroke: () => strokes.push({ style: canvas.strokeStyle, width: canvas.lineWidth, rects: path }),
    fill: () => undefined,
    fillRect: () => undefined,
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
  return { canvas, strokes }
}

describe('the halo under box outlines', () => {
  const navy = '#000075'
  const yellow = '#ffe119'
  const twoTones = (classId: number) => (classId === 1 ? { name: 'dark', color: navy } : { name: 'light', color: yellow })

  it('puts a light halo under dark class colours and a dark one under light colours, wider than the outline, before it', () => {
    const { canvas, strokes } = strokeRecorder()
    const boxes: PaintBox[] = [
      { id: 1, classId: 1, box: [10, 10, 50, 50], score: null },
      { id: 2, classId: 2, box: [100, 10, 150, 50], score: null },
      { id: 3, classId: 1, box: [200, 10, 250, 50], score: null },
    ]
    paintBoxes(canvas, boxes, identity, stage, twoTones, { lineWidth: 2, fillOpacity: 0, showLabels: false })
    expect(strokes.map((stroke) => [stroke.style, stroke.width, stroke.rects.length])).toEqual([
      [DARK_HALO, 4, 1],
      [LIGHT_HALO, 4, 2],
      [navy, 2, 2],
      [yellow, 2, 1],
    ])
    // Each halo runs exactly along the outline it lies under.
    expect(strokes[1]!.rects).toEqual(strokes[2]!.rects)
    expect(strokes[0]!.rects).toEqual(strokes[3]!.rects)
  })

  it('picks the tone with the higher contrast against the class colour', () => {
    expect(haloColor('#000000')).toBe(LIGHT_HALO)
    expect(haloColor('#4363d8')).toBe(LIGHT_HALO) // blue, luminance 0.15
    expect(haloColor('#e6194b')).toBe(DARK_HALO) // red, luminance 0.18
    expect(haloColor('#ffffff')).toBe(DARK_HALO)
    expect(haloColor('not a colour')).toBe(DARK_HALO)
  })
})
