import { afterEach, describe, expect, it } from 'vitest'
import { loadSidePanelsFolded, saveSidePanelsFolded } from '../../../src-renderer/src/viewer/saved-side-panels'

const globals = globalThis as { localStorage?: unknown }

function fakeStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial))
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  }
}

afterEach(() => {
  delete globals.localStorage
})

describe('the remembered side panels', () => {
  it('are shown until one is folded, then folded as saved', () => {
    const storage = fakeStorage()
    globals.localStorage = storage
    expect(loadSidePanelsFolded()).toEqual({ objectList: false, classPanel: false })
    saveSidePanelsFolded({ objectList: true, classPanel: false })
    expect(JSON.parse(storage.items.get('rw.side-panels')!)).toEqual({ objectList: true, classPanel: false })
    expect(loadSidePanelsFolded()).toEqual({ objectList: true, classPanel: false })
  })

  it('are shown when storage holds anything else, refuses access, or is absent', () => {
    for (const text of ['not json', 'null', '[true]', '{"objectList":"yes","classPanel":1}']) {
      globals.localStorage = fakeStorage({ 'rw.side-panels': text })
      expect(loadSidePanelsFolded(), text).toEqual({ objectList: false, classPanel: false })
    }
    globals.localStorage = fakeStorage({ 'rw.side-panels': '{"classPanel":true,"extra":3}' })
    expect(loadSidePanelsFolded()).toEqual({ objectList: false, classPanel: true })
    globals.localStorage = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('full')
      },
    }
    expect(loadSidePanelsFolded()).toEqual({ objectList: false, classPanel: false })
    expect(() => saveSidePanelsFolded({ objectList: true, classPanel: true })).not.toThrow()
    delete globals.localStorage
    expect(loadSidePanelsFolded()).toEqual({ objectList: false, classPanel: false })
  })
})
