import type { EditorCommand } from '../command-types'

export const fit: EditorCommand = {
  name: 'fit',
  title: 'Fit the image to the window',
  group: 'View',
  keys: [{ key: 'f' }],
  perform: (context) => context.fit(),
}

/** 1–9 pick classes, so actual size is 0. */
export const actualSize: EditorCommand = {
  name: 'actual-size',
  title: 'Actual size (1:1)',
  group: 'View',
  keys: [{ key: '0' }, { key: '0', ctrl: true }],
  perform: (context) => context.actualSize(),
}

export const zoomIn: EditorCommand = {
  name: 'zoom-in',
  title: 'Zoom in (or the wheel, around the cursor)',
  group: 'View',
  keys: [{ key: '+' }, { key: '=' }],
  perform: (context) => context.zoomIn(),
}

export const zoomOut: EditorCommand = {
  name: 'zoom-out',
  title: 'Zoom out',
  group: 'View',
  keys: [{ key: '-' }],
  perform: (context) => context.zoomOut(),
}

export const shortcuts: EditorCommand = {
  name: 'shortcuts',
  title: 'Show or hide this list of shortcuts',
  group: 'View',
  keys: [{ key: '?' }],
  perform: (context) => context.toggleShortcuts(),
}
