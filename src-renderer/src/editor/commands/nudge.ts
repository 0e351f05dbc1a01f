import { hasSelection, type EditorCommand } from '../command-types'
import { nudgeChanges } from '../label-changes'

const DIRECTIONS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
}
/** Shift nudges this many pixels at a time. */
const LARGE_STEP = 10

/**
 * Arrows nudge the selection; with nothing selected, plain arrows go to other images (next-image,
 * previous-image) and Shift+arrows, which only ever nudge, do nothing.
 *
 * One exception keeps a nudge from becoming navigation: when another window deletes the selected
 * box, the selection is dropped as its notification arrives, possibly between two presses of a
 * held arrow. Until the labeler selects again, presses Esc or leaves the image
 * (`selectionLostElsewhere`), the arrows stay here, nudge nothing and say why.
 */
export const nudge: EditorCommand = {
  name: 'nudge',
  title: 'Move the selected boxes by 1 image pixel (Shift: 10)',
  group: 'Edit',
  keys: Object.keys(DIRECTIONS).map((key) => ({ key })),
  predicate: (context) => (hasSelection(context) || context.session.state.selectionLostElsewhere) && context.frame !== null,
  perform(context, key) {
    const { session, frame } = context
    if (!hasSelection(context)) {
      return context.inform('selectedBoxDeletedElsewhere')
    }
    const [dx, dy] = DIRECTIONS[key.key] ?? [0, 0]
    const step = key.shift ? LARGE_STEP : 1
    const changes = nudgeChanges(session.selectedLabels(), new Set(session.state.selection), dx * step, dy * step, frame!)
    return changes.length > 0 ? session.edit('nudge', changes) : undefined
  },
}
