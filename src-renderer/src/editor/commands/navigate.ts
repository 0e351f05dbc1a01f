import type { EditorCommand } from '../command-types'

export const previousImage: EditorCommand = {
  name: 'previous-image',
  title: 'Previous image (arrows only while no box is selected)',
  group: 'Navigate',
  // Shift+arrows are nudge keys only (see nudge.ts): they never leave the image.
  keys: [{ key: 'a' }, { key: 'ArrowLeft', shift: false }, { key: 'PageUp' }],
  perform: (context) => context.previous(),
}

export const nextImage: EditorCommand = {
  name: 'next-image',
  title: 'Next image (arrows only while no box is selected)',
  group: 'Navigate',
  keys: [{ key: 'd' }, { key: 'ArrowRight', shift: false }, { key: 'PageDown' }],
  perform: (context) => context.next(),
}

export const backToGrid: EditorCommand = {
  name: 'back-to-grid',
  title: 'Back to the grid (or to the evaluation list the image was opened from)',
  group: 'Navigate',
  keys: [{ key: 'g' }],
  perform: (context) => context.backToGrid(),
}

export const previousListedImage: EditorCommand = {
  name: 'previous-listed-image',
  title: 'Previous image of the evaluation list being followed',
  group: 'Navigate',
  keys: [{ key: '[' }],
  perform: (context) => context.stepEvaluationList(-1),
}

export const nextListedImage: EditorCommand = {
  name: 'next-listed-image',
  title: 'Next image of the evaluation list being followed',
  group: 'Navigate',
  keys: [{ key: ']' }],
  perform: (context) => context.stepEvaluationList(1),
}
