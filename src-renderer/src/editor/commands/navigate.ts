import type { EditorCommand } from '../command-types'

export const previousImage: EditorCommand = {
  name: 'previous-image',
  title: 'Previous image (arrows only while no box is selected)',
  group: 'Navigate',
  keys: [{ key: 'a' }, { key: 'ArrowLeft' }, { key: 'PageUp' }],
  perform: (context) => context.previous(),
}

export const nextImage: EditorCommand = {
  name: 'next-image',
  title: 'Next image (arrows only while no box is selected)',
  group: 'Navigate',
  keys: [{ key: 'd' }, { key: 'ArrowRight' }, { key: 'PageDown' }],
  perform: (context) => context.next(),
}
