import type { CommandGroup, EditorCommand } from './command-types'
import { formatBinding } from './key-bindings'

export interface ShortcutRow {
  name: string
  keys: string[]
  title: string
}

/** What the mouse does; not commands, but part of the same table. */
export const MOUSE_ROWS: { keys: string; title: string }[] = [
  { keys: 'Click', title: 'Select the smallest box under the pointer; click again there for the next larger one (a dashed suggestion: Enter accepts it)' },
  { keys: 'Shift+Click', title: 'Add a box to the selection, or take it out' },
  { keys: 'Drag a box', title: 'Move it (the selection moves together)' },
  { keys: 'Drag a handle', title: 'Resize; Shift keeps the aspect ratio' },
  { keys: 'Drag empty canvas', title: 'Pan' },
  { keys: 'Shift+Drag empty canvas', title: 'Select the boxes inside a marquee' },
  { keys: 'Space+Drag', title: 'Pan with any tool' },
  { keys: 'Wheel', title: 'Zoom around the cursor' },
  { keys: 'Double-click a box', title: 'Change its class' },
]

const GROUP_ORDER: CommandGroup[] = ['Tools', 'Edit', 'Select', 'Review', 'Navigate', 'View']

/** The shortcut overlay's and the README's table, grouped, from the command registry. */
export function shortcutRows(commands: readonly EditorCommand[]) {
  return GROUP_ORDER.map((group, position) => ({
    group,
    rows: commands
      .filter((command) => command.group === group)
      .map((command): ShortcutRow => ({ name: command.name, keys: [...new Set(command.keys.map(formatBinding))], title: command.title })),
    mouse: position === 0 ? MOUSE_ROWS : [],
  })).filter((entry) => entry.rows.length > 0)
}

/** The same table as Markdown, for the README. */
export function shortcutMarkdown(commands: readonly EditorCommand[]): string {
  const lines = ['| Keys | What it does |', '| --- | --- |']
  for (const { group, rows } of shortcutRows(commands)) {
    lines.push(`| **${group}** | |`)
    for (const row of rows) lines.push(`| ${row.keys.map((key) => `\`${key}\``).join(' ')} | ${row.title} |`)
  }
  lines.push('| **Mouse** | |')
  for (const row of MOUSE_ROWS) lines.push(`| ${row.keys} | ${row.title} |`)
  return lines.join('\n')
}
