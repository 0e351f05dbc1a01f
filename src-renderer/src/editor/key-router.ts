import type { CommandContext, EditorCommand, KeyInput } from './command-types'
import { commandFor } from './key-bindings'

/**
 * Routes keys to commands. Space is both a key and a modifier: held, any drag pans; released
 * without a drag in between, it runs its command (mark reviewed and go on).
 */
export function createKeyRouter(commands: readonly EditorCommand[]) {
  let spaceHeld = false
  let pannedWhileHeld = false

  function isPlainSpace(input: KeyInput): boolean {
    return input.key === ' ' && !input.ctrl && !input.alt && !input.shift
  }

  return {
    get spaceHeld(): boolean {
      return spaceHeld
    },
    /** A drag happened while Space was held: its release is not a command. */
    notePan(): void {
      if (spaceHeld) pannedWhileHeld = true
    },
    /** Returns the command run (or held for release), so the caller can prevent the browser's default. */
    keydown(input: KeyInput, context: CommandContext, repeat = false): EditorCommand | 'space' | null {
      if (isPlainSpace(input)) {
        if (!spaceHeld) {
          spaceHeld = true
          pannedWhileHeld = false
        }
        return 'space'
      }
      const command = commandFor(commands, input, context)
      if (!command) return null
      // Held keys repeat for nudges and stepping through images, never for one-shot edits.
      if (repeat && !['nudge', 'next-image', 'previous-image', 'zoom-in', 'zoom-out', 'select-next', 'select-previous'].includes(command.name)) {
        return command
      }
      void command.perform(context, input)
      return command
    },
    keyup(input: KeyInput, context: CommandContext): EditorCommand | null {
      if (input.key !== ' ' || !spaceHeld) return null
      spaceHeld = false
      if (pannedWhileHeld) return null
      const command = commandFor(commands, { ...input, shift: false, ctrl: false, alt: false }, context)
      if (command) void command.perform(context, input)
      return command
    },
    /** The window lost focus: a held Space is released without running anything. */
    reset(): void {
      spaceHeld = false
      pannedWhileHeld = false
    },
  }
}

export type KeyRouter = ReturnType<typeof createKeyRouter>
