import { afterEach, describe, expect, it } from 'vitest'
import { loadRunProvider, saveRunProvider } from '../../../src-renderer/src/viewer/saved-run-provider'

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

describe('the remembered run provider', () => {
  it('is auto until one is chosen, then the one chosen', () => {
    const storage = fakeStorage()
    globals.localStorage = storage
    expect(loadRunProvider()).toBe('auto')
    saveRunProvider('webgpu')
    expect(storage.items.get('rw.run-provider')).toBe('webgpu')
    expect(loadRunProvider()).toBe('webgpu')
  })

  it('falls back to auto on anything else, and without storage', () => {
    globals.localStorage = fakeStorage({ 'rw.run-provider': 'tpu' })
    expect(loadRunProvider()).toBe('auto')
    globals.localStorage = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('full')
      },
    }
    expect(loadRunProvider()).toBe('auto')
    expect(() => saveRunProvider('cpu')).not.toThrow()
    delete globals.localStorage
    expect(loadRunProvider()).toBe('auto')
  })
})
