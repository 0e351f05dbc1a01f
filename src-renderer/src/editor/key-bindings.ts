import type { CommandContext, EditorCommand, KeyBinding, KeyInput } from './command-types'

function sameKey(binding: string, pressed: string): boolean {
  return binding.length === 1 && pressed.length === 1 ? binding.toLowerCase() === pressed.toLowerCase() : binding === pressed
}

export function matchesBinding(binding: KeyBinding, input: KeyInput): boolean {
  return (
    sameKey(binding.key, input.key) &&
    (binding.ctrl ?? false) === input.ctrl &&
    (binding.alt ?? false) === input.alt &&
    (binding.shift === undefined || binding.shift === input.shift)
  )
}

/** The first command bound to the key whose predicate holds now. */
export function commandFor(commands: readonly EditorCommand[], input: KeyInput, context: CommandContext): EditorCommand | null {
  for (const command of commands) {
    if (!command.keys.some((binding) => matchesBinding(binding, input))) continue
    if (command.predicate && !command.predicate(context)) continue
    return command
  }
  return null
}

const KEY_NAMES: Record<string, string> = {
  ' ': 'Space',
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
  Delete: 'Delete',
  Backspace: 'Backspace',
  PageUp: 'Page Up',
  PageDown: 'Page Down',
}

/** "Ctrl+Shift+Z", as the overlay and the README show it. */
export function formatBinding(binding: KeyBinding): string {
  const name = KEY_NAMES[binding.key] ?? (binding.key.length === 1 ? binding.key.toUpperCase() : binding.key)
  return [binding.ctrl ? 'Ctrl' : '', binding.alt ? 'Alt' : '', binding.shift ? 'Shift' : '', name].filter(Boolean).join('+')
}
