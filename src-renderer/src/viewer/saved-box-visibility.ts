/**
 * The image view's thresholds and hidden classes, remembered per project file in the
 * browser's storage, so reopening a project (or reloading the page) shows its boxes the way
 * the person left them. Class ids are stable within a project file, so they key the values.
 * Storage can be unavailable or hold anything: reading never throws, and only well-formed
 * values come back.
 */

const KEY_PREFIX = 'rw.box-visibility:'

/** The part of the browser's Storage used here (also typed where the DOM library is absent). */
interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function storage(): KeyValueStorage | undefined {
  return (globalThis as { localStorage?: KeyValueStorage }).localStorage
}

export interface SavedBoxVisibility {
  suggestionThreshold: number
  classThresholds: Readonly<Record<number, number>>
  hiddenClassIds: readonly number[]
  showLabels: boolean
}

export function loadBoxVisibility(projectFile: string): Partial<SavedBoxVisibility> {
  let raw: unknown
  try {
    const text = storage()?.getItem(KEY_PREFIX + projectFile)
    if (!text) return {}
    raw = JSON.parse(text)
  } catch {
    return {}
  }
  if (typeof raw !== 'object' || raw === null) return {}
  const value = raw as Record<string, unknown>
  const saved: Partial<SavedBoxVisibility> = {}
  // Saved before the setting had its own name (`scoreThreshold`, which also named two other things).
  const suggestionThreshold = value.suggestionThreshold ?? value.scoreThreshold
  if (isScore(suggestionThreshold)) saved.suggestionThreshold = suggestionThreshold
  if (typeof value.classThresholds === 'object' && value.classThresholds !== null) {
    saved.classThresholds = Object.fromEntries(
      Object.entries(value.classThresholds).filter(([id, score]) => isClassId(Number(id)) && isScore(score)),
    ) as Record<number, number>
  }
  if (Array.isArray(value.hiddenClassIds)) saved.hiddenClassIds = value.hiddenClassIds.filter(isClassId)
  if (typeof value.showLabels === 'boolean') saved.showLabels = value.showLabels
  return saved
}

export function saveBoxVisibility(projectFile: string, settings: SavedBoxVisibility): void {
  try {
    storage()?.setItem(KEY_PREFIX + projectFile, JSON.stringify(settings))
  } catch {
    // Full or disabled storage: the settings still apply until the page closes.
  }
}

function isScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1
}

function isClassId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
}
