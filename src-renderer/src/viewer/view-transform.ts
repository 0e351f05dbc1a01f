/**
 * Pure geometry of the image view: how an image of a given size sits on a stage of a
 * given size. A transform maps image pixels to stage pixels as
 * `stage = image * scale + offset`. Plain data only, so it can live in a store, be
 * asserted in tests and rebuilt into Konva nodes at any time.
 */

export interface ViewTransform {
  scale: number
  offsetX: number
  offsetY: number
}

export interface Size {
  width: number
  height: number
}

export interface Point {
  x: number
  y: number
}

/** Beyond these the image is either a dot or a few giant pixels; neither helps labeling. */
export const MIN_SCALE = 0.01
export const MAX_SCALE = 64

/**
 * One wheel notch (deltaY = 100 in Chromium) zooms by about 12 %, and one event never by
 * more than one notch's worth: fast wheels and high-resolution mice send large deltas, which
 * made a few notches jump from fit to pixel level.
 */
const WHEEL_ZOOM_BASE = 1.00115
const WHEEL_MAX_DELTA = 100

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale))
}

/**
 * The whole image visible and centred, as large as the stage allows with `margin` stage
 * pixels free on every side (small images are enlarged too).
 */
export function fitTransform(image: Size, stage: Size, margin = 0): ViewTransform {
  const width = stage.width - 2 * margin
  const height = stage.height - 2 * margin
  if (image.width <= 0 || image.height <= 0 || width <= 0 || height <= 0) {
    return { scale: 1, offsetX: 0, offsetY: 0 }
  }
  const scale = clampScale(Math.min(width / image.width, height / image.height))
  return centredAt(image, stage, scale)
}

/** The image at `scale`, centred on the stage. */
export function centredAt(image: Size, stage: Size, scale: number): ViewTransform {
  return {
    scale,
    offsetX: (stage.width - image.width * scale) / 2,
    offsetY: (stage.height - image.height * scale) / 2,
  }
}

/** Changes the scale while the image point under `anchor` (a stage point) stays under it. */
export function zoomAround(transform: ViewTransform, anchor: Point, nextScale: number): ViewTransform {
  const scale = clampScale(nextScale)
  const ratio = scale / transform.scale
  return {
    scale,
    offsetX: anchor.x - (anchor.x - transform.offsetX) * ratio,
    offsetY: anchor.y - (anchor.y - transform.offsetY) * ratio,
  }
}

/** The scale after a wheel movement; negative deltaY (wheel up / pinch out) zooms in. */
export function scaleAfterWheel(scale: number, deltaY: number): number {
  const limited = Math.max(-WHEEL_MAX_DELTA, Math.min(WHEEL_MAX_DELTA, deltaY))
  return clampScale(scale * Math.pow(WHEEL_ZOOM_BASE, -limited))
}

export function panBy(transform: ViewTransform, dx: number, dy: number): ViewTransform {
  return { scale: transform.scale, offsetX: transform.offsetX + dx, offsetY: transform.offsetY + dy }
}

/** Where a stage point lands in image pixels. */
export function stageToImage(transform: ViewTransform, point: Point): Point {
  return { x: (point.x - transform.offsetX) / transform.scale, y: (point.y - transform.offsetY) / transform.scale }
}
