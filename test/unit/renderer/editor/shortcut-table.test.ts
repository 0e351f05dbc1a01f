import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EDITOR_COMMANDS } from '../../../../src-renderer/src/editor/commands'
import { MOUSE_ROWS, shortcutMarkdown, shortcutRows } from '../../../../src-renderer/src/editor/shortcut-table'
import { wordsOf } from '../i18n/words-of'

const chinese = wordsOf('zh-CN')
const readmeOf = (name: string) => readFileSync(resolve(import.meta.dirname, '..', '..', '..', '..', name), 'utf8')

describe('shortcut table', () => {
  it('lists every command of the registry in the overlay', () => {
    const listed = shortcutRows(EDITOR_COMMANDS).flatMap((group) => group.rows.map((row) => row.name))
    expect(listed.sort()).toEqual(EDITOR_COMMANDS.map((command) => command.name).sort())
  })

  it('is in the README exactly as the app shows it', () => {
    expect(readmeOf('README.md')).toContain(shortcutMarkdown(EDITOR_COMMANDS))
  })

  it('says every command and mouse action in Chinese, and is in README.zh-CN.md as the app shows it', () => {
    const rows = shortcutRows(EDITOR_COMMANDS, chinese).flatMap((group) => group.rows)
    const english = new Map(EDITOR_COMMANDS.map((command) => [command.name, command.title]))
    for (const row of rows) expect({ name: row.name, same: row.title === english.get(row.name) || /^shortcuts\./.test(row.title) }).toEqual({ name: row.name, same: false })
    const mouse = shortcutRows(EDITOR_COMMANDS, chinese)[0]!.mouse
    expect(mouse.map((row) => row.title)).not.toContain(MOUSE_ROWS[0]!.title)
    expect(readmeOf('README.zh-CN.md')).toContain(shortcutMarkdown(EDITOR_COMMANDS, chinese))
  })
})
