import { describe, expect, it } from 'vitest'
import { editorId } from '../../../../src-shared/api/label-schemas'
import { windowEditorId } from '../../../../src-renderer/src/editor/editor-identity'

function fakeStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial))
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  }
}

describe("a window's editor identity", () => {
  it('is made once and kept in the window\'s session storage, so a reload keeps it', () => {
    const storage = fakeStorage()
    const first = windowEditorId(storage)
    expect(editorId.safeParse(first).success).toBe(true)
    expect(storage.items.get('rw.editor-id')).toBe(first)
    expect(windowEditorId(storage)).toBe(first)
  })

  it('differs between two windows', () => {
    expect(windowEditorId(fakeStorage())).not.toBe(windowEditorId(fakeStorage()))
  })

  it('replaces a stored value the API would refuse, and works without storage', () => {
    const storage = fakeStorage({ 'rw.editor-id': "x'; --" })
    const made = windowEditorId(storage, () => 'fresh-window-id')
    expect(made).toBe('fresh-window-id')
    expect(storage.items.get('rw.editor-id')).toBe('fresh-window-id')
    const broken = { getItem: () => { throw new Error('denied') }, setItem: () => { throw new Error('denied') } }
    expect(windowEditorId(broken, () => 'page-only-id-1')).toBe('page-only-id-1')
    expect(windowEditorId(undefined, () => 'page-only-id-2')).toBe('page-only-id-2')
  })
})
