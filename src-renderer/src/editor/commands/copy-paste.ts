import { hasSelection, type EditorCommand } from '../command-types'
import { MIN_BOX_SIZE } from '../editor-types'
import { createChanges } from '../label-changes'

export const copy: EditorCommand = {
  name: 'copy',
  title: 'Copy the selected boxes',
  group: 'Edit',
  keys: [{ key: 'c', ctrl: true }],
  predicate: hasSelection,
  perform: ({ session }) => session.copy(),
}

/** Pastes onto any image of the project; boxes from a larger image are moved back inside. */
export const paste: EditorCommand = {
  name: 'paste',
  title: 'Paste the copied boxes (also onto another image)',
  group: 'Edit',
  keys: [{ key: 'v', ctrl: true, shift: false }],
  predicate: (context) => context.frame !== null,
  perform({ session, frame, inform }) {
    const changes = createChanges(session.state.clipboard, frame!, MIN_BOX_SIZE)
    if (changes.length === 0) return inform('nothingToPaste')
    return session.edit('paste', changes, { selectCreated: true })
  },
}

export const copyPrevious: EditorCommand = {
  name: 'copy-previous',
  title: "Copy the previous image's labels onto this one",
  group: 'Edit',
  keys: [{ key: 'v', ctrl: true, shift: true }],
  predicate: (context) => context.frame !== null,
  perform: (context) => context.copyPrevious(),
}
