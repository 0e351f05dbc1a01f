import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EDITOR_COMMANDS } from '../../../../src-renderer/src/editor/commands'
import { shortcutMarkdown, shortcutRows } from '../../../../src-renderer/src/editor/shortcut-table'

describe('shortcut table', () => {
  it('lists every command of the registry in the overlay', () => {
    const listed = shortcutRows(EDITOR_COMMANDS).flatMap((group) => group.rows.map((row) => row.name))
    expect(listed.sort()).toEqual(EDITOR_COMMANDS.map((command) => command.name).sort())
  })

  it('is in the README exactly as the app shows it', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '..', '..', '..', '..', 'README.md'), 'utf8')
    expect(readme).toContain(shortcutMarkdown(EDITOR_COMMANDS))
  })
})
