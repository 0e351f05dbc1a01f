import type { BoxSide } from '@shared/geometry/box'
import type { EditorCommand } from '../command-types'
import { resizeChanges } from '../label-changes'

const SIDES: Record<string, BoxSide> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'top',
  ArrowDown: 'bottom',
}
/** Shift resizes this many pixels at a time, as it nudges. */
const LARGE_STEP = 10

const arrowKeys = (modifier: 'alt' | 'ctrl') => Object.keys(SIDES).map((key) => ({ key, [modifier]: true }))

/**
 * Resizing by keyboard, one side at a time: Alt+arrow pushes the side the arrow points to
 * outward, Ctrl+arrow pulls it inward. Without a selection the keys still belong here (Alt+←
 * would otherwise take the browser back a page) and say what to do.
 */
function resize(direction: 1 | -1): EditorCommand['perform'] {
  return (context, key) => {
    const { session, frame } = context
    if (session.state.selection.length === 0 || frame === null) return context.inform('selectBoxToResize')
    const side = SIDES[key.key]!
    const step = key.shift ? LARGE_STEP : 1
    const changes = resizeChanges(session.selectedLabels(), new Set(session.state.selection), side, direction * step, frame)
    return changes.length > 0 ? session.edit('resize', changes) : undefined
  }
}

export const growBox: EditorCommand = {
  name: 'grow-box',
  title: 'Grow the selected boxes on the side the arrow points to by 1 pixel (Shift: 10)',
  group: 'Edit',
  keys: arrowKeys('alt'),
  perform: resize(1),
}

export const shrinkBox: EditorCommand = {
  name: 'shrink-box',
  title: 'Shrink the selected boxes from the side the arrow points to by 1 pixel (Shift: 10)',
  group: 'Edit',
  keys: arrowKeys('ctrl'),
  perform: resize(-1),
}
