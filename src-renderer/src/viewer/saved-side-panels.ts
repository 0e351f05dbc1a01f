/**
 * Which of the image view's side panels (the object list, the class panel) a person folded
 * away, remembered in the browser's storage for every project: how much room the canvas gets
 * is a matter of the screen, not of the project. Storage can be unavailable or hold anything:
 * reading never throws, and anything but a well-formed value leaves the panels shown.
 */

const KEY = 'rw.side-panels'

export interface SidePanelsFolded {
  objectList: boolean
  classPanel: boolean
}

export const PANELS_SHOWN: Readonly<SidePanelsFolded> = { objectList: false, classPanel: false }

interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function storage(): KeyValueStorage | undefined {
  return (globalThis as { localStorage?: KeyValueStorage }).localStorage
}

export function loadSidePanelsFolded(): SidePanelsFolded {
  let raw: unknown
  try {
    const text = storage()?.getItem(KEY)
    if (!text) return { ...PANELS_SHOWN }
    raw = JSON.parse(text)
  } catch {
    return { ...PANELS_SHOWN }
  }
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
  return { objectList: value.objectList === true, classPanel: value.classPanel === true }
}

export function saveSidePanelsFolded(folded: SidePanelsFolded): void {
  try {
    storage()?.setItem(KEY, JSON.stringify({ objectList: folded.objectList, classPanel: folded.classPanel }))
  } catch {
    // Full or forbidden storage: the panels stay as they are until the page reloads.
  }
}
