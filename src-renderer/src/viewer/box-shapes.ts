import type { DetectionBox } from '@shared/api/types'
import type { ViewTransform } from './view-transform'

/** Screen pixels, whatever the zoom: lines and labels stay readable at 5% and crisp at 800%. */
export const BOX_STROKE_WIDTH = 2
const LABEL_FONT_SIZE = 12
const LABEL_PADDING = 3
const LABEL_HEIGHT = LABEL_FONT_SIZE + 2 * LABEL_PADDING

export interface ClassLook {
  name: string
  color: string
}

/** Konva configs of one detection: its rectangle and its "class 0.87" label. Plain data. */
export interface BoxShape {
  key: number
  rect: Record<string, unknown>
  /** Null when labels are switched off. */
  label: Record<string, unknown> | null
  tag: Record<string, unknown>
  text: Record<string, unknown>
}

/**
 * The boxes layer is drawn in image coordinates (the layer carries the view transform), so
 * rectangles need no conversion; stroke and label are kept at a constant screen size by
 * switching off stroke scaling and scaling the label by the inverse of the zoom.
 */
export function boxShapes(
  detections: readonly DetectionBox[],
  transform: ViewTransform,
  lookOf: (classId: number) => ClassLook,
  withLabels = true,
): BoxShape[] {
  const inverseScale = 1 / transform.scale
  // Highest scores drawn last, so the most confident boxes and labels end up on top.
  const byScore = [...detections].sort((a, b) => a.score - b.score)
  return byScore.map((detection) => {
    const [x1, y1, x2, y2] = detection.box
    const look = lookOf(detection.classId)
    return {
      key: detection.id,
      rect: {
        x: x1,
        y: y1,
        width: Math.max(0, x2 - x1),
        height: Math.max(0, y2 - y1),
        stroke: look.color,
        strokeWidth: BOX_STROKE_WIDTH,
        strokeScaleEnabled: false,
        listening: false,
        perfectDrawEnabled: false,
      },
      label: withLabels ? {
        x: x1,
        y: y1,
        scaleX: inverseScale,
        scaleY: inverseScale,
        // Above the box's top-left corner, outside it, so the label never covers the object.
        offsetY: LABEL_HEIGHT - BOX_STROKE_WIDTH / 2,
        offsetX: BOX_STROKE_WIDTH / 2,
        listening: false,
      } : null,
      tag: { fill: look.color, opacity: 0.9, cornerRadius: 2 },
      text: {
        text: `${look.name} ${detection.score.toFixed(2)}`,
        fontSize: LABEL_FONT_SIZE,
        padding: LABEL_PADDING,
        fill: readableTextColor(look.color),
        fontFamily: 'system-ui, sans-serif',
      },
    }
  })
}

/** Black on light class colours, white on dark ones (WCAG relative luminance). */
export function readableTextColor(hexColor: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hexColor)
  if (!match) return '#ffffff'
  const [red, green, blue] = [match[1], match[2], match[3]].map((part) => {
    const channel = parseInt(part ?? '0', 16) / 255
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  const luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
  return luminance > 0.4 ? '#111111' : '#ffffff'
}
