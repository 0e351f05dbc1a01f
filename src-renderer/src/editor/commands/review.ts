import type { EditorCommand } from '../command-types'

/** LabelImg's "verify": Space marks the image reviewed and opens the next one. Space held and dragged pans instead. */
export const reviewAndNext: EditorCommand = {
  name: 'review-and-next',
  title: 'Mark the image reviewed and open the next one',
  group: 'Review',
  keys: [{ key: ' ', shift: false }],
  perform: (context) => context.markReviewedAndNext(),
}

export const toggleReviewed: EditorCommand = {
  name: 'toggle-reviewed',
  title: 'Mark the image reviewed, or unmark it (stays on the image)',
  group: 'Review',
  keys: [{ key: 'u' }],
  perform: (context) => context.toggleReviewed(),
}

export const nextUnreviewed: EditorCommand = {
  name: 'next-unreviewed',
  title: 'Open the next image not yet reviewed',
  group: 'Review',
  keys: [{ key: 'n' }, { key: ' ', shift: true }],
  perform: (context) => context.nextUnreviewed(),
}
