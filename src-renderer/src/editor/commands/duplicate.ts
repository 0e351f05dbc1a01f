import { hasSelection, type EditorCommand } from '../command-types'
import { duplicateChanges } from '../label-changes'

export const duplicate: EditorCommand = {
  name: 'duplicate',
  title: 'Duplicate the selected boxes',
  group: 'Edit',
  keys: [{ key: 'd', ctrl: true }],
  predicate: (context) => hasSelection(context) && context.frame !== null,
  perform({ session, frame }) {
    const changes = duplicateChanges(session.selectedLabels(), new Set(session.state.selection), frame!)
    return session.edit('duplicate', changes, { selectCreated: true })
  },
}
