import type { EditorCommand } from '../command-types'
import { acceptChanges } from '../label-changes'

/** A selected suggestion becomes a label that keeps its detection id and score. */
export const acceptSuggestion: EditorCommand = {
  name: 'accept-suggestion',
  title: 'Accept the selected suggestion (S selects one, or click its dashed box)',
  group: 'Edit',
  keys: [{ key: 'Enter', shift: false }, { key: 'y' }],
  predicate: ({ session }) => session.state.selectedSuggestion !== null,
  perform({ session }) {
    const chosen = session.state.current?.suggestions.filter((suggestion) => suggestion.id === session.state.selectedSuggestion) ?? []
    return session.edit('accept-suggestion', acceptChanges(chosen), { selectCreated: true })
  },
}
