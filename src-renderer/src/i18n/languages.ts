/**
 * The languages the workbench speaks, and which one a window starts in: the person's own
 * choice when they made one (remembered in the browser's storage), else the first of the
 * system's (Electron passes the OS locale to navigator.languages) or browser's preferred
 * languages that the workbench has, else English. Every Chinese locale gets Simplified
 * Chinese, the only Chinese catalogue; a Traditional reader still reads it more easily than English.
 */

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'zh-CN', name: '简体中文' },
] as const

export type LanguageCode = (typeof LANGUAGES)[number]['code']

export const DEFAULT_LANGUAGE: LanguageCode = 'en'

const STORAGE_KEY = 'rw.language'

export function isLanguageCode(value: unknown): value is LanguageCode {
  return LANGUAGES.some((language) => language.code === value)
}

/** The workbench language for one BCP 47 tag (`zh-Hans-SG` → zh-CN, `en-GB` → en), or null. */
export function languageOf(tag: string): LanguageCode | null {
  const primary = tag.toLowerCase().split(/[-_]/)[0]
  if (primary === 'zh') return 'zh-CN'
  if (primary === 'en') return 'en'
  return null
}

export function chooseLanguage(saved: string | null | undefined, preferred: readonly string[]): LanguageCode {
  if (isLanguageCode(saved)) return saved
  for (const tag of preferred) {
    const language = languageOf(tag)
    if (language) return language
  }
  return DEFAULT_LANGUAGE
}

interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function storage(): KeyValueStorage | undefined {
  return (globalThis as { localStorage?: KeyValueStorage }).localStorage
}

export function loadSavedLanguage(): string | null {
  try {
    return storage()?.getItem(STORAGE_KEY) ?? null
  } catch {
    return null
  }
}

export function saveLanguage(language: LanguageCode): void {
  try {
    storage()?.setItem(STORAGE_KEY, language)
  } catch {
    // Storage full or disabled: the language still applies until the window closes.
  }
}
