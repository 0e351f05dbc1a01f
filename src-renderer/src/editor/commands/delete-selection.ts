import { hasSelection, type EditorCommand } from '../command-types'
import { deleteChanges } from '../label-changes'

export const deleteSelection: EditorCommand = {
  name: 'delete',
  title: 'Delete the selected boxes',
  group: 'Edit',
  keys: [{ key: 'Delete' }, { key: 'Backspace' }],
  predicate: hasSelection,
  perform: ({ session }) => session.edit('delete', deleteChanges(session.state.selection)),
}
