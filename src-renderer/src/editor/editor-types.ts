/**
 * Plain data the editor's tools and commands work on. No DOM, no Vue, no Konva: the tools
 * run in Node tests exactly as in the browser.
 */
import type { Box, FrameSize } from '@shared/geometry/box'

export interface Point {
  x: number
  y: number
}

/**
 * A box of one class, in image pixels of the displayed frame: what the clipboard keeps and a
 * paste or a copy from the previous image creates (no id: those make new labels).
 */
export interface ClassBox {
  classId: number
  box: Box
}

/** What the editor needs of a label or a suggestion: a class box and its id (a suggestion's is its detection id). */
export interface EditorBox extends ClassBox {
  id: number
}

export interface PointerModifiers {
  shift: boolean
  /** Ctrl, or Cmd on macOS. */
  ctrl: boolean
  alt: boolean
}

/** One pointer event as the tools see it: where it is on the stage and in the image. */
export interface PointerInput extends PointerModifiers {
  stage: Point
  image: Point
  /** 0 primary, 1 middle, 2 secondary. */
  button: number
}

export type HandleName = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w'
export const HANDLE_NAMES: readonly HandleName[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w']

/** Below this many image pixels a side, a box is too small to see or select. */
export const MIN_BOX_SIZE = 2

export type { Box, FrameSize }
