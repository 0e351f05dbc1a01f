import type { EditorCommand } from '../command-types'

/**
 * Esc cancels the innermost thing: the gesture in progress, then the draw tool, then the
 * selection. It never leaves the editor, so "Esc, Esc to be safe" costs nothing; going back to
 * the grid has its own key (back-to-grid).
 */
export const escape: EditorCommand = {
  name: 'escape',
  title: 'Cancel the drag, leave the draw tool, or clear the selection (never leaves the image)',
  group: 'Tools',
  keys: [{ key: 'Escape' }],
  perform(context) {
    if (context.cancelGesture()) return
    if (context.tool !== 'select') return context.setTool('select')
    const { selection, selectedSuggestion, selectionLostElsewhere } = context.session.state
    if (selection.length > 0 || selectedSuggestion !== null || selectionLostElsewhere) context.session.select([])
  },
}
