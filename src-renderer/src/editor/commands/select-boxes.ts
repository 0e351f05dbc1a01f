import type { CommandContext, EditorCommand } from '../command-types'

/**
 * The id `step` places from `current` in `ids`, wrapping around; the first (stepping forward) or
 * the last (back) when `current` is not among them. Undefined for no ids.
 */
export function stepThrough(ids: readonly number[], current: number | null | undefined, step: 1 | -1): number | undefined {
  if (ids.length === 0) return undefined
  const at = current === null || current === undefined ? -1 : ids.indexOf(current)
  return ids[at === -1 ? (step === 1 ? 0 : ids.length - 1) : (at + step + ids.length) % ids.length]
}

/** Tab order is the object list's order (creation order), so the two agree. */
function cycle(context: CommandContext, step: 1 | -1): void {
  const { current, selection } = context.session.state
  const next = stepThrough(current?.labels.map((label) => label.id) ?? [], selection[selection.length - 1], step)
  if (next !== undefined) context.session.select([next])
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
