import type { EditorCommand } from '../command-types'

/**
 * This window's own changes only (another window's are its own to undo); undoing a change to
 * another image goes to that image.
 */
export const undo: EditorCommand = {
  name: 'undo',
  title: 'Undo the last change (goes to the image it changed)',
  group: 'Edit',
  keys: [{ key: 'z', ctrl: true, shift: false }],
  perform: (context) => context.undo(),
}

export const redo: EditorCommand = {
  name: 'redo',
  title: 'Redo the last undone change',
  group: 'Edit',
  keys: [
    { key: 'z', ctrl: true, shift: true },
    { key: 'y', ctrl: true },
  ],
  perform: (context) => context.redo(),
}
