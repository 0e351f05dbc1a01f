import type { CommandContext, EditorCommand } from '../command-types'
import { acceptChanges } from '../label-changes'
import { stepThrough } from './select-boxes'

/**
 * Suggestions by keyboard: S and Shift+S step through the suggestions shown, best score first,
 * whatever lies around them (a suggestion inside a label cannot be clicked past the label, but
 * it can be reached here); Enter or Y then accepts it (accept-suggestion.ts).
 */
function cycle(context: CommandContext, step: 1 | -1): void {
  const shown = [...context.visibleSuggestions].sort((a, b) => b.score - a.score || a.id - b.id)
  const next = stepThrough(shown.map((suggestion) => suggestion.id), context.session.state.selectedSuggestion, step)
  if (next === undefined) return context.inform('noSuggestionsShown')
  context.session.selectSuggestion(next)
}

export const selectNextSuggestion: EditorCommand = {
  name: 'select-next-suggestion',
  title: 'Select the next suggestion shown, best score first (boxes inside others too)',
  group: 'Select',
  keys: [{ key: 's', shift: false }],
  perform: (context) => cycle(context, 1),
}

export const selectPreviousSuggestion: EditorCommand = {
  name: 'select-previous-suggestion',
  title: 'Select the previous suggestion shown',
  group: 'Select',
  keys: [{ key: 's', shift: true }],
  perform: (context) => cycle(context, -1),
}

/** Every suggestion shown becomes a label in one edit (one undo step); the filters choose which. */
export const acceptShownSuggestions: EditorCommand = {
  name: 'accept-shown-suggestions',
  title: 'Accept every suggestion shown (the suggestion threshold and class filter choose them)',
  group: 'Edit',
  keys: [{ key: 'Enter', shift: true }],
  perform(context) {
    const shown = context.visibleSuggestions
    if (shown.length === 0) return context.inform('noSuggestionsToAccept')
    return context.session.edit('accept-suggestion', acceptChanges(shown), { selectCreated: true })
  },
}
