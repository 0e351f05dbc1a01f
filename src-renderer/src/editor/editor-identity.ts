/**
 * This window's editor identity: a random id made once per window (a browser tab, an Electron
 * window) and kept in its sessionStorage, so a reload of the same tab keeps undoing its own
 * edits, while another tab or window gets its own id and its own history. The API records it
 * with every edit (see labelsEditArgs in src-shared/api/label-schemas.ts).
 *
 * Storage can be unavailable or hold anything: an unusable value is replaced, and without
 * storage the id lasts as long as the page.
 */
const KEY = 'rw.editor-id'
const VALID = /^[A-Za-z0-9_-]{8,64}$/

interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** 128 random bits as hex; crypto.getRandomValues works without a secure context, unlike randomUUID. */
function randomId(): string {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function sessionStorageOfWindow(): KeyValueStorage | undefined {
  try {
    return (globalThis as { sessionStorage?: KeyValueStorage }).sessionStorage
  } catch {
    return undefined // a sandboxed frame throws on the mere access
  }
}

export function windowEditorId(storage: KeyValueStorage | undefined = sessionStorageOfWindow(), makeId: () => string = randomId): string {
  try {
    const saved = storage?.getItem(KEY)
    if (saved && VALID.test(saved)) return saved
  } catch {
    // Unreadable storage: a fresh id, for this page's life.
  }
  const made = makeId()
  try {
    storage?.setItem(KEY, made)
  } catch {
    // Full or forbidden storage: undo still works until the page reloads.
  }
  return made
}
