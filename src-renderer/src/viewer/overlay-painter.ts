import type { Box, BoxXywh } from '@shared/geometry/box'
import { HANDLE_NAMES } from '../editor/editor-types'
import { handlePosition } from '../editor/hit-test'
import type { Canvas2D, ClassLook, PaintBox } from './box-painter'
import type { ViewTransform } from './view-transform'

/** Half the side of a resize handle, in stage pixels. */
export const HANDLE_HALF_SIZE = 4
const SELECTION_COLOR = '#ffffff'

export interface OverlayScene {
  /** Selected labels, at their preview position while dragged. */
  selected: readonly PaintBox[]
  hovered: PaintBox | null
  /** A selected suggestion, ringed so Enter's target is clear. */
  suggestion: PaintBox | null
  drawing: Readonly<Box> | null
  marquee: Readonly<Box> | null
  /** Handles are shown for a single selected box. */
  showHandles: boolean
  lineWidth: number
}

/** A rectangle in stage pixels stroked in `color` over a dark halo two pixels wider, so it reads on any image. */
export function strokeRectWithHalo(
  context: Canvas2D,
  [x, y, w, h]: Readonly<BoxXywh>,
  color: string,
  width: number,
  dash: number[] = [],
): void {
  context.setLineDash(dash)
  context.beginPath()
  context.rect(x, y, w, h)
  context.strokeStyle = 'rgba(0, 0, 0, 0.8)'
  context.lineWidth = width + 2
  context.stroke()
  context.strokeStyle = color
  context.lineWidth = width
  context.stroke()
}

/** A box (image pixels) as the rectangle it covers on the stage: corner, width and height in stage pixels. */
export function toStageXywh(box: Readonly<Box>, t: ViewTransform): BoxXywh {
  const x = box[0] * t.scale + t.offsetX
  const y = box[1] * t.scale + t.offsetY
  return [x, y, (box[2] - box[0]) * t.scale, (box[3] - box[1]) * t.scale]
}

/**
 * The few things drawn above the boxes: the hover highlight, the selection with its
 * handles, the rectangle being drawn and the marquee. Redrawn on every pointer move of a
 * gesture; the thousands of other boxes stay on their own layer untouched.
 */
export function paintOverlay(context: Canvas2D, scene: OverlayScene, transform: ViewTransform, lookOf: (classId: number) => ClassLook): void {
  context.save()
  const outline = (box: Readonly<Box>, color: string, width: number, dash: number[] = []) =>
    strokeRectWithHalo(context, toStageXywh(box, transform), color, width, dash)
  if (scene.hovered) {
    const [x, y, w, h] = toStageXywh(scene.hovered.box, transform)
    context.globalAlpha = 0.18
    context.fillStyle = lookOf(scene.hovered.classId).color
    context.fillRect(x, y, w, h)
    context.globalAlpha = 1
    outline(scene.hovered.box, lookOf(scene.hovered.classId).color, scene.lineWidth + 1)
  }
  if (scene.suggestion) outline(scene.suggestion.box, SELECTION_COLOR, scene.lineWidth + 1, [6, 4])
  for (const selected of scene.selected) {
    const [x, y, w, h] = toStageXywh(selected.box, transform)
    context.globalAlpha = 0.12
    context.fillStyle = lookOf(selected.classId).color
    context.fillRect(x, y, w, h)
    context.globalAlpha = 1
    outline(selected.box, lookOf(selected.classId).color, scene.lineWidth + 1)
    context.setLineDash([4, 3])
    context.strokeStyle = SELECTION_COLOR
    context.lineWidth = 1
    context.beginPath()
    context.rect(x - scene.lineWidth - 2, y - scene.lineWidth - 2, w + 2 * scene.lineWidth + 4, h + 2 * scene.lineWidth + 4)
    context.stroke()
  }
  const only = scene.selected[0]
  if (scene.showHandles && only && scene.selected.length === 1) {
    context.setLineDash([])
    context.lineWidth = 1
    for (const handle of HANDLE_NAMES) {
      const point = handlePosition(only.box, handle)
      const x = point.x * transform.scale + transform.offsetX
      const y = point.y * transform.scale + transform.offsetY
      context.fillStyle = SELECTION_COLOR
      context.fillRect(x - HANDLE_HALF_SIZE, y - HANDLE_HALF_SIZE, 2 * HANDLE_HALF_SIZE, 2 * HANDLE_HALF_SIZE)
      context.strokeStyle = '#000000'
      context.beginPath()
      context.rect(x - HANDLE_HALF_SIZE, y - HANDLE_HALF_SIZE, 2 * HANDLE_HALF_SIZE, 2 * HANDLE_HALF_SIZE)
      context.stroke()
    }
  }
  if (scene.drawing) outline(scene.drawing, '#ffd400', scene.lineWidth)
  if (scene.marquee) {
    const [x, y, w, h] = toStageXywh(scene.marquee, transform)
    context.globalAlpha = 0.1
    context.fillStyle = '#4da3ff'
    context.fillRect(x, y, w, h)
    context.globalAlpha = 1
    outline(scene.marquee, '#4da3ff', 1, [5, 3])
  }
  context.restore()
}
