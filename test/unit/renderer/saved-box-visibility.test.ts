import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadBoxVisibility, saveBoxVisibility } from '../../../src-renderer/src/viewer/saved-box-visibility'

/** A Map-backed stand-in for the browser's localStorage (Node has none). */
function installStorage(options: { failWrites?: boolean } = {}): Map<string, string> {
  const items = new Map<string, string>()
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (options.failWrites) throw new Error('QuotaExceededError')
      items.set(key, value)
    },
  }
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true })
  return items
}

describe('saved box visibility', () => {
  beforeEach(() => installStorage())
  afterEach(() => {
    Reflect.deleteProperty(globalThis, 'localStorage')
  })

  it('gives back what was saved, per project file', () => {
    const settings = { suggestionThreshold: 0.42, classThresholds: { 3: 0.8 }, hiddenClassIds: [2, 5], showLabels: false }
    saveBoxVisibility('/data/a.rwproj', settings)
    expect(loadBoxVisibility('/data/a.rwproj')).toEqual(settings)
    expect(loadBoxVisibility('/data/b.rwproj')).toEqual({})
  })

  it('reads the suggestion threshold saved under its old name, scoreThreshold', () => {
    const items = installStorage()
    items.set('rw.box-visibility:/old.rwproj', JSON.stringify({ scoreThreshold: 0.55, classThresholds: {}, hiddenClassIds: [], showLabels: true }))
    expect(loadBoxVisibility('/old.rwproj')).toEqual({ suggestionThreshold: 0.55, classThresholds: {}, hiddenClassIds: [], showLabels: true })
    items.set('rw.box-visibility:/old.rwproj', JSON.stringify({ suggestionThreshold: 0.2, scoreThreshold: 0.55 }))
    expect(loadBoxVisibility('/old.rwproj')).toEqual({ suggestionThreshold: 0.2 })
  })

  it('keeps only well-formed values from whatever the storage holds', () => {
    const items = installStorage()
    items.set(
      'rw.box-visibility:/p.rwproj',
      JSON.stringify({ suggestionThreshold: 7, classThresholds: { 1: 0.5, 2: 'high', x: 0.3, 4: -1 }, hiddenClassIds: [1, 'two', 2.5, -3, 4], showLabels: 'yes' }),
    )
    expect(loadBoxVisibility('/p.rwproj')).toEqual({ classThresholds: { 1: 0.5 }, hiddenClassIds: [1, 4] })
    items.set('rw.box-visibility:/p.rwproj', '{not json')
    expect(loadBoxVisibility('/p.rwproj')).toEqual({})
    items.set('rw.box-visibility:/p.rwproj', 'null')
    expect(loadBoxVisibility('/p.rwproj')).toEqual({})
  })

  it('never throws when storage is missing or refuses writes', () => {
    Reflect.deleteProperty(globalThis, 'localStorage')
    expect(loadBoxVisibility('/p.rwproj')).toEqual({})
    expect(() => saveBoxVisibility('/p.rwproj', { suggestionThreshold: 0.3, classThresholds: {}, hiddenClassIds: [], showLabels: true })).not.toThrow()
    installStorage({ failWrites: true })
    expect(() => saveBoxVisibility('/p.rwproj', { suggestionThreshold: 0.3, classThresholds: {}, hiddenClassIds: [], showLabels: true })).not.toThrow()
  })
})
