import { hasSelection, type EditorCommand } from '../command-types'

export const relabel: EditorCommand = {
  name: 'relabel',
  title: 'Change the class of the selected boxes (type to search)',
  group: 'Edit',
  keys: [{ key: 'e' }, { key: 'l' }],
  predicate: hasSelection,
  perform: (context) => context.openClassPicker(),
}
