import { boxHeight, boxWidth, type Box, type FrameSize } from '@shared/geometry/box'
import { MIN_BOX_SIZE, type HandleName } from './editor-types'

export interface ResizeOptions {
  /** Shift held: the box keeps the width/height ratio it had when the resize began. */
  keepAspect: boolean
  frame: FrameSize
  minSize?: number
}

/**
 * The box after dragging one of its handles by (dx, dy) image pixels from where the resize
 * began. The opposite side stays put; the moved side stops at the frame's edge and at the
 * minimum size, so a resize can neither leave the image nor turn the box inside out.
 */
export function resizeBox(start: Readonly<Box>, handle: HandleName, dx: number, dy: number, options: ResizeOptions): Box {
  const minSize = options.minSize ?? MIN_BOX_SIZE
  const { width: frameWidth, height: frameHeight } = options.frame
  let [x1, y1, x2, y2] = start
  const movesWest = handle.includes('w')
  const movesEast = handle.includes('e')
  const movesNorth = handle.startsWith('n')
  const movesSouth = handle.startsWith('s')
  if (movesWest) x1 = Math.min(Math.max(0, x1 + dx), x2 - minSize)
  if (movesEast) x2 = Math.max(Math.min(frameWidth, x2 + dx), x1 + minSize)
  if (movesNorth) y1 = Math.min(Math.max(0, y1 + dy), y2 - minSize)
  if (movesSouth) y2 = Math.max(Math.min(frameHeight, y2 + dy), y1 + minSize)

  if (options.keepAspect && boxHeight(start) > 0 && boxWidth(start) > 0) {
    const ratio = boxWidth(start) / boxHeight(start)
    const corner = handle.length === 2
    let width = x2 - x1
    let height = y2 - y1
    // A corner follows whichever side moved more; an edge handle drives the other side.
    if (corner ? width / ratio > height : handle === 'e' || handle === 'w') height = width / ratio
    else width = height * ratio
    // Keep it within the frame: shrink both sides together when one would pass the edge.
    const anchorX = movesWest ? x2 : movesEast ? x1 : (x1 + x2) / 2
    const anchorY = movesNorth ? y2 : movesSouth ? y1 : (y1 + y2) / 2
    const roomX = movesWest ? anchorX : movesEast ? frameWidth - anchorX : 2 * Math.min(anchorX, frameWidth - anchorX)
    const roomY = movesNorth ? anchorY : movesSouth ? frameHeight - anchorY : 2 * Math.min(anchorY, frameHeight - anchorY)
    const fit = Math.min(1, roomX / width, roomY / height)
    width = Math.max(minSize, width * fit)
    height = Math.max(minSize, height * fit)
    x1 = movesWest ? anchorX - width : movesEast ? anchorX : anchorX - width / 2
    x2 = x1 + width
    y1 = movesNorth ? anchorY - height : movesSouth ? anchorY : anchorY - height / 2
    y2 = y1 + height
  }
  return [x1, y1, x2, y2]
}
