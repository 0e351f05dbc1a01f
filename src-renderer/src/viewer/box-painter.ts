import type { Box } from '@shared/geometry/box'
import type { EditorBox } from '../editor/editor-types'
import { createLabelPlacer, type LabelPlacer } from './label-placement'
import type { ViewTransform } from './view-transform'

/**
 * Paints many boxes on a 2D canvas in a few paths: a halo under the outlines (at most two
 * paths, a dark one under light class colours and a light one under dark ones), then one
 * stroke (and optional fill) path per colour, then the labels that fit without overprinting. Works on the small part of the
 * canvas API declared below, so it runs against a recording fake in Node tests.
 */
export interface Canvas2D {
  save(): void
  restore(): void
  beginPath(): void
  rect(x: number, y: number, w: number, h: number): void
  stroke(): void
  fill(): void
  fillRect(x: number, y: number, w: number, h: number): void
  fillText(text: string, x: number, y: number): void
  measureText(text: string): { width: number }
  setLineDash(segments: number[]): void
  strokeStyle: unknown
  fillStyle: unknown
  lineWidth: number
  globalAlpha: number
  font: string
  textBaseline: string
}

/** The 2D context under Konva's wrapper: the painters draw whole layers in a few paths. */
export function nativeContext(konvaContext: unknown): Canvas2D {
  return (konvaContext as { _context: Canvas2D })._context
}

/** A label or a suggestion as painted; a `Label` or a `DetectionBox` is one as it stands, without a copy. */
export interface PaintBox extends EditorBox {
  /** Shown after the class name; null for manual labels. */
  score: number | null
}

export interface ClassLook {
  name: string
  color: string
}

export interface PaintStyle {
  lineWidth: number
  /** 0 draws outlines only. */
  fillOpacity: number
  showLabels: boolean
  /** Suggestions: dashed and dimmed. */
  dashed?: boolean
  alpha?: number
}

export const LABEL_FONT_SIZE = 12
const LABEL_PADDING = 3
const LABEL_HEIGHT = LABEL_FONT_SIZE + 2 * LABEL_PADDING
/**
 * The halo's two tones. The one under a box contrasts with the box's own colour, so where the
 * background has that colour (a red box on a red car, issue 19) the box still shows as a ring.
 */
export const DARK_HALO = 'rgba(0, 0, 0, 0.7)'
export const LIGHT_HALO = 'rgba(255, 255, 255, 0.85)'
/** Stage pixels of halo on each side of an outline. */
const HALO_WIDTH = 1

/** The box in stage pixels, or null when it lies off the stage. */
function stageBox(box: Readonly<Box>, t: ViewTransform, stage: { width: number; height: number }): Box | null {
  const x1 = box[0] * t.scale + t.offsetX
  const y1 = box[1] * t.scale + t.offsetY
  const x2 = box[2] * t.scale + t.offsetX
  const y2 = box[3] * t.scale + t.offsetY
  if (x2 < -LABEL_HEIGHT || y2 < -LABEL_HEIGHT || x1 > stage.width || y1 > stage.height + LABEL_HEIGHT) return null
  return [x1, y1, x2, y2]
}

/** A box on the stage: where it is drawn (stage pixels) and what it shows. */
interface StageRect {
  box: Box
  paint: PaintBox
}

function stageRects(boxes: readonly PaintBox[], transform: ViewTransform, stage: { width: number; height: number }): StageRect[] {
  const rects: StageRect[] = []
  for (const paint of boxes) {
    const box = stageBox(paint.box, transform, stage)
    if (box) rects.push({ box, paint })
  }
  return rects
}

/** Adds a stage box to the current path, grown by `grow` stage pixels on each side. */
function addRect(context: Canvas2D, [x1, y1, x2, y2]: Readonly<Box>, grow = 0): void {
  context.rect(x1 - grow, y1 - grow, x2 - x1 + 2 * grow, y2 - y1 + 2 * grow)
}

function strokeRects(context: Canvas2D, rects: readonly StageRect[], lookOf: (classId: number) => ClassLook, style: PaintStyle): void {
  context.save()
  context.globalAlpha = style.alpha ?? 1
  context.setLineDash(style.dashed ? [6, 4] : [])
  const byColor = new Map<string, StageRect[]>()
  for (const rect of rects) {
    const color = lookOf(rect.paint.classId).color
    const list = byColor.get(color)
    if (list) list.push(rect)
    else byColor.set(color, [rect])
  }
  const half = style.lineWidth / 2
  if (style.fillOpacity > 0) {
    const alpha = context.globalAlpha
    context.globalAlpha = alpha * style.fillOpacity
    for (const [color, list] of byColor) {
      context.beginPath()
      for (const rect of list) addRect(context, rect.box)
      context.fillStyle = color
      context.fill()
    }
    context.globalAlpha = alpha
  }
  context.lineWidth = style.lineWidth + 2 * HALO_WIDTH
  for (const tone of [DARK_HALO, LIGHT_HALO]) {
    const colors = [...byColor.keys()].filter((color) => haloColor(color) === tone)
    if (colors.length === 0) continue
    context.beginPath()
    for (const color of colors) {
      for (const rect of byColor.get(color)!) addRect(context, rect.box, half)
    }
    context.strokeStyle = tone
    context.stroke()
  }
  context.lineWidth = style.lineWidth
  for (const [color, list] of byColor) {
    context.beginPath()
    for (const rect of list) addRect(context, rect.box, half)
    context.strokeStyle = color
    context.stroke()
  }
  context.restore()
}

export interface PaintLayer {
  boxes: readonly PaintBox[]
  style: PaintStyle
}

/**
 * Paints layers of boxes (e.g. labels, then suggestions): every layer's lines first, then
 * the labels, first layer first, so no line crosses a label and the first layer's labels
 * win the free spots.
 */
export function paintLayers(
  context: Canvas2D,
  layers: readonly PaintLayer[],
  transform: ViewTransform,
  stage: { width: number; height: number },
  lookOf: (classId: number) => ClassLook,
  /** Boxes drawn elsewhere on top (the selection): their labels' spots are kept free here. */
  reserved: readonly PaintBox[] = [],
): { drawn: number[]; labelled: number } {
  const rectsByLayer = layers.map((layer) => stageRects(layer.boxes, transform, stage))
  for (let index = layers.length - 1; index >= 0; index--) strokeRects(context, rectsByLayer[index]!, lookOf, layers[index]!.style)
  const placer = createLabelPlacer(stage)
  if (reserved.length > 0) {
    // Measured and placed like the top layer will place them, so those spots stay free.
    paintLabels(context, stageRects(reserved, transform, stage), lookOf, placer, false)
  }
  let labelled = 0
  layers.forEach((layer, index) => {
    if (!layer.style.showLabels || rectsByLayer[index]!.length === 0) return
    context.save()
    context.globalAlpha = layer.style.alpha ?? 1
    labelled += paintLabels(context, rectsByLayer[index]!, lookOf, placer)
    context.restore()
  })
  return { drawn: rectsByLayer.map((rects) => rects.length), labelled }
}

/** One layer of boxes with their labels. */
export function paintBoxes(
  context: Canvas2D,
  boxes: readonly PaintBox[],
  transform: ViewTransform,
  stage: { width: number; height: number },
  lookOf: (classId: number) => ClassLook,
  style: PaintStyle,
): { drawn: number; labelled: number } {
  const result = paintLayers(context, [{ boxes, style }], transform, stage, lookOf)
  return { drawn: result.drawn[0] ?? 0, labelled: result.labelled }
}

/** Text widths by text: measuring is the slow part of drawing thousands of labels. */
const textWidths = new Map<string, number>()

function paintLabels(
  context: Canvas2D,
  rects: readonly StageRect[],
  lookOf: (classId: number) => ClassLook,
  placer: LabelPlacer,
  /** False only places the labels (keeps their spots) without drawing them. */
  draw = true,
): number {
  context.font = `${LABEL_FONT_SIZE}px system-ui, sans-serif`
  context.textBaseline = 'top'
  context.setLineDash([])
  let count = 0
  // The last-drawn boxes lie on top, so their labels are placed first.
  for (let index = rects.length - 1; index >= 0; index--) {
    const rect = rects[index]!
    const look = lookOf(rect.paint.classId)
    const text = rect.paint.score === null ? look.name : `${look.name} ${rect.paint.score.toFixed(2)}`
    let textWidth = textWidths.get(text)
    if (textWidth === undefined) {
      textWidth = context.measureText(text).width
      if (textWidths.size < 10_000) textWidths.set(text, textWidth)
    }
    const width = textWidth + 2 * LABEL_PADDING
    const spot = placer.place(rect.box, { width, height: LABEL_HEIGHT })
    if (!spot || !draw) continue
    context.fillStyle = look.color
    context.fillRect(spot.x, spot.y, width, LABEL_HEIGHT)
    context.fillStyle = readableTextColor(look.color)
    context.fillText(text, spot.x + LABEL_PADDING, spot.y + LABEL_PADDING)
    count++
  }
  return count
}

/** WCAG relative luminance of a `#rrggbb` colour; null for anything else. */
function relativeLuminance(hexColor: string): number | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hexColor)
  if (!match) return null
  const [red, green, blue] = [match[1], match[2], match[3]].map((part) => {
    const channel = parseInt(part ?? '0', 16) / 255
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue
}

/** Black on light class colours, white on dark ones. */
export function readableTextColor(hexColor: string): string {
  return (relativeLuminance(hexColor) ?? 0) > 0.4 ? '#111111' : '#ffffff'
}

const haloColors = new Map<string, string>()

/**
 * The halo tone with the higher contrast against a class colour: dark above the luminance
 * where black and white contrast equally ((L + 0.05) / 0.05 = 1.05 / (L + 0.05), L ≈ 0.179),
 * light below. An unreadable colour gets the dark halo, as before there were two.
 */
export function haloColor(classColor: string): string {
  let tone = haloColors.get(classColor)
  if (tone === undefined) {
    const luminance = relativeLuminance(classColor)
    tone = luminance !== null && luminance < 0.179 ? LIGHT_HALO : DARK_HALO
    if (haloColors.size < 1000) haloColors.set(classColor, tone)
  }
  return tone
}
