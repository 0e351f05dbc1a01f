import type { EditorCommand } from '../command-types'

/** Esc steps back one level: the gesture in progress, then the draw tool, then the selection, then the grid. */
export const escape: EditorCommand = {
  name: 'escape',
  title: 'Cancel the drag, leave the draw tool, clear the selection, or go back to the grid',
  group: 'Tools',
  keys: [{ key: 'Escape' }],
  perform(context) {
    if (context.cancelGesture()) return
    if (context.tool !== 'select') return context.setTool('select')
    const { selection, selectedSuggestion } = context.session.state
    if (selection.length > 0 || selectedSuggestion !== null) return context.session.select([])
    context.backToGrid()
  },
}
