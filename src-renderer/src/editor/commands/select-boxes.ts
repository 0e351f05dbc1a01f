import type { CommandContext, EditorCommand } from '../command-types'

/** Tab order is the object list's order (creation order), so the two agree. */
function cycle(context: CommandContext, step: 1 | -1): void {
  const labels = context.session.state.current?.labels ?? []
  if (labels.length === 0) return
  const selection = context.session.state.selection
  const last = selection[selection.length - 1]
  const at = last === undefined ? -1 : labels.findIndex((label) => label.id === last)
  const nextIndex = at === -1 ? (step === 1 ? 0 : labels.length - 1) : (at + step + labels.length) % labels.length
  context.session.select([labels[nextIndex]!.id])
}

export const selectNext: EditorCommand = {
  name: 'select-next',
  title: 'Select the next box',
  group: 'Select',
  keys: [{ key: 'Tab', shift: false }],
  perform: (context) => cycle(context, 1),
}

export const selectPrevious: EditorCommand = {
  name: 'select-previous',
  title: 'Select the previous box',
  group: 'Select',
  keys: [{ key: 'Tab', shift: true }],
  perform: (context) => cycle(context, -1),
}

export const selectAll: EditorCommand = {
  name: 'select-all',
  title: 'Select every box',
  group: 'Select',
  keys: [{ key: 'a', ctrl: true }],
  perform: ({ session }) => session.select(session.state.current?.labels.map((label) => label.id) ?? []),
}
