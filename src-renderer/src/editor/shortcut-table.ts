import type { Words } from '../i18n/words'
import type { CommandGroup, EditorCommand } from './command-types'
import { formatBinding } from './key-bindings'

export interface ShortcutRow {
  name: string
  keys: string[]
  title: string
}

/** What the mouse does; not commands, but part of the same table. */
export const MOUSE_ROWS: { name: string; keys: string; title: string }[] = [
  { name: 'click', keys: 'Click', title: 'Select the smallest box under the pointer; click again there for the next larger one (a dashed suggestion: Enter accepts it)' },
  { name: 'shift-click', keys: 'Shift+Click', title: 'Add a box to the selection, or take it out' },
  { name: 'drag-box', keys: 'Drag a box', title: 'Move it (the selection moves together)' },
  { name: 'drag-handle', keys: 'Drag a handle', title: 'Resize; Shift keeps the aspect ratio' },
  { name: 'drag-canvas', keys: 'Drag empty canvas', title: 'Pan' },
  { name: 'shift-drag-canvas', keys: 'Shift+Drag empty canvas', title: 'Select the boxes inside a marquee' },
  { name: 'space-drag', keys: 'Space+Drag', title: 'Pan with any tool' },
  { name: 'wheel', keys: 'Wheel', title: 'Zoom around the cursor' },
  { name: 'double-click', keys: 'Double-click a box', title: 'Change its class' },
]

/**
 * The table's words in a language: the registry's English titles are the reference (the
 * catalogues' `shortcuts` section holds the others, key for key; a test checks it), so without
 * `words` the table is the registry's own.
 */
function wording(words: Words | undefined) {
  const say = (key: string, english: string) => (words ? words.t(`shortcuts.${key}`) : english)
  return {
    group: (group: CommandGroup | 'Mouse') => say(`groups.${group}`, group),
    command: (command: EditorCommand) => say(`commands.${command.name}`, command.title),
    mouseKeys: (row: (typeof MOUSE_ROWS)[number]) => say(`mouse.${row.name}.keys`, row.keys),
    mouseTitle: (row: (typeof MOUSE_ROWS)[number]) => say(`mouse.${row.name}.title`, row.title),
  }
}

const GROUP_ORDER: CommandGroup[] = ['Tools', 'Edit', 'Select', 'Review', 'Navigate', 'View']

/** The shortcut overlay's and the README's table, grouped, from the command registry; in `words`' language when given. */
export function shortcutRows(commands: readonly EditorCommand[], words?: Words) {
  const say = wording(words)
  return GROUP_ORDER.map((group, position) => ({
    group,
    title: say.group(group),
    rows: commands
      .filter((command) => command.group === group)
      .map((command): ShortcutRow => ({ name: command.name, keys: [...new Set(command.keys.map(formatBinding))], title: say.command(command) })),
    mouse: position === 0 ? MOUSE_ROWS.map((row) => ({ keys: say.mouseKeys(row), title: say.mouseTitle(row) })) : [],
  })).filter((entry) => entry.rows.length > 0)
}

/** The same table as Markdown, for README.md (English) and README.zh-CN.md (`words` in Chinese). */
export function shortcutMarkdown(commands: readonly EditorCommand[], words?: Words): string {
  const say = wording(words)
  const header = words ? [words.t('shortcuts.keys'), words.t('shortcuts.does')] : ['Keys', 'What it does']
  const lines = [`| ${header[0]} | ${header[1]} |`, '| --- | --- |']
  for (const { title, rows } of shortcutRows(commands, words)) {
    lines.push(`| **${title}** | |`)
    for (const row of rows) lines.push(`| ${row.keys.map((key) => `\`${key}\``).join(' ')} | ${row.title} |`)
  }
  lines.push(`| **${say.group('Mouse')}** | |`)
  for (const row of MOUSE_ROWS) lines.push(`| ${say.mouseKeys(row)} | ${say.mouseTitle(row)} |`)
  return lines.join('\n')
}
