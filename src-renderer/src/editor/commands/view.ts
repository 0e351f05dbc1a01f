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

/** P for panels (Tab, which hides the panels in Photoshop and Lightroom, steps through boxes here). */
export const toggleSidePanels: EditorCommand = {
  name: 'toggle-side-panels',
  title: 'Fold the object list and the class panel away to widen the canvas, or show them again',
  group: 'View',
  keys: [{ key: 'p' }],
  perform: (context) => context.toggleSidePanels(),
}

export const shortcuts: EditorCommand = {
  name: 'shortcuts',
  title: 'Show or hide this list of shortcuts',
  group: 'View',
  keys: [{ key: '?' }],
  perform: (context) => context.toggleShortcuts(),
}
