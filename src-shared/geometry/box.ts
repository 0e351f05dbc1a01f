/**
 * Axis-aligned boxes, the one shape every part of the product shares: detections, labels,
 * imports, exports and metrics. Corners `[x1, y1, x2, y2]` in pixels of the displayed
 * (EXIF-oriented) image, x1 ≤ x2 and y1 ≤ y2; pixel edges, not pixel centres, so a box
 * covering the whole of a W×H image is [0, 0, W, H]. Pure functions, no DOM, no Node.
 */

export type Box = [x1: number, y1: number, x2: number, y2: number]
/**
 * A box as the database keeps it, one column per corner (`annotations`, `detections`): the one
 * row shape that queries extend and `boxFromColumns` turns into a `Box`.
 */
export interface BoxColumns {
  x1: number
  y1: number
  x2: number
  y2: number
}

export function boxFromColumns(row: Readonly<BoxColumns>): Box {
  return [row.x1, row.y1, row.x2, row.y2]
}

/** COCO's form: top-left corner, width and height. */
export type BoxXywh = [x: number, y: number, width: number, height: number]

export interface FrameSize {
  width: number
  height: number
}

export function boxWidth(box: Readonly<Box>): number {
  return box[2] - box[0]
}

export function boxHeight(box: Readonly<Box>): number {
  return box[3] - box[1]
}

export function boxArea(box: Readonly<Box>): number {
  return Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1])
}

export function toXywh(box: Readonly<Box>): BoxXywh {
  return [box[0], box[1], box[2] - box[0], box[3] - box[1]]
}

export function fromXywh([x, y, width, height]: Readonly<BoxXywh>): Box {
  return [x, y, x + width, y + height]
}

/** Intersection over union; 0 when either box has no area. */
export function boxIou(a: Readonly<Box>, b: Readonly<Box>): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0])
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1])
  if (iw <= 0 || ih <= 0) return 0
  const intersection = iw * ih
  return intersection / (boxArea(a) + boxArea(b) - intersection)
}

/** Whether all four numbers are finite and the corners are in order. */
export function isValidBox(box: Readonly<Box>): boolean {
  return box.every(Number.isFinite) && box[2] >= box[0] && box[3] >= box[1]
}

/** The box from two corner points given in any order (a drag from either corner). */
export function boxFromCorners(ax: number, ay: number, bx: number, by: number): Box {
  return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)]
}

/** The part of the box inside the frame; may have zero width or height when it lay outside. */
export function clipBox(box: Readonly<Box>, frame: FrameSize): Box {
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value))
  return [clamp(box[0], frame.width), clamp(box[1], frame.height), clamp(box[2], frame.width), clamp(box[3], frame.height)]
}

/** Whether the box lies wholly inside the frame. */
export function isInsideFrame(box: Readonly<Box>, frame: FrameSize): boolean {
  return box[0] >= 0 && box[1] >= 0 && box[2] <= frame.width && box[3] <= frame.height
}

/**
 * The box moved by (dx, dy) but kept whole inside the frame: a move that would push it out
 * stops at the edge, so the box keeps its size (unlike clipping).
 */
export function translateWithinFrame(box: Readonly<Box>, dx: number, dy: number, frame: FrameSize): Box {
  const width = Math.min(boxWidth(box), frame.width)
  const height = Math.min(boxHeight(box), frame.height)
  const x1 = Math.min(frame.width - width, Math.max(0, box[0] + dx))
  const y1 = Math.min(frame.height - height, Math.max(0, box[1] + dy))
  return [x1, y1, x1 + width, y1 + height]
}

/** Box centre and size normalized to the frame (YOLO's form). */
export function toNormalizedCxcywh(box: Readonly<Box>, frame: FrameSize): [cx: number, cy: number, w: number, h: number] {
  return [
    (box[0] + box[2]) / 2 / frame.width,
    (box[1] + box[3]) / 2 / frame.height,
    boxWidth(box) / frame.width,
    boxHeight(box) / frame.height,
  ]
}

export function fromNormalizedCxcywh([cx, cy, w, h]: readonly number[], frame: FrameSize): Box {
  const x = cx! * frame.width
  const y = cy! * frame.height
  const halfW = (w! * frame.width) / 2
  const halfH = (h! * frame.height) / 2
  return [x - halfW, y - halfH, x + halfW, y + halfH]
}

/** The smallest width and height a label may have, in image pixels. */
export const MIN_LABEL_SIZE = 1

export type BoxSide = 'left' | 'top' | 'right' | 'bottom'

/**
 * The box with one side moved `delta` pixels outward (a negative delta moves it inward), kept
 * inside the frame and at least MIN_LABEL_SIZE across: a resize by keyboard that cannot go
 * further stops there.
 */
export function moveSideWithinFrame(box: Readonly<Box>, side: BoxSide, delta: number, frame: FrameSize): Box {
  const [x1, y1, x2, y2] = box
  switch (side) {
    case 'left':
      return [Math.min(x2 - MIN_LABEL_SIZE, Math.max(0, x1 - delta)), y1, x2, y2]
    case 'right':
      return [x1, y1, Math.max(x1 + MIN_LABEL_SIZE, Math.min(frame.width, x2 + delta)), y2]
    case 'top':
      return [x1, Math.min(y2 - MIN_LABEL_SIZE, Math.max(0, y1 - delta)), x2, y2]
    case 'bottom':
      return [x1, y1, x2, Math.max(y1 + MIN_LABEL_SIZE, Math.min(frame.height, y2 + delta))]
  }
}

/** Whether a label box lies inside the image and is at least MIN_LABEL_SIZE on each side. */
export function isUsableLabelBox(box: Readonly<Box>, frame: FrameSize): boolean {
  return isValidBox(box) && isInsideFrame(box, frame) && boxWidth(box) >= MIN_LABEL_SIZE && boxHeight(box) >= MIN_LABEL_SIZE
}
