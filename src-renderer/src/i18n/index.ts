/**
 * The renderer's messages (vue-i18n, Composition API). The language is chosen once per window
 * at start (see languages.ts) and changed by the language switch, which remembers it; changing
 * it re-renders in place, so the open project, the selection and the undo history stay.
 */
import { createI18n } from 'vue-i18n'
import { en } from '../locales/en'
import { zhCN } from '../locales/zh-CN'
import { chooseLanguage, loadSavedLanguage, saveLanguage, type LanguageCode } from './languages'

function initialLanguage(): LanguageCode {
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages
  return chooseLanguage(loadSavedLanguage(), preferred)
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLanguage(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
})

function markDocument(language: LanguageCode): void {
  // The page's language picks the fonts (CJK glyphs) and is read aloud by screen readers.
  if (typeof document !== 'undefined') document.documentElement.lang = language
}

markDocument(i18n.global.locale.value as LanguageCode)

export function setLanguage(language: LanguageCode): void {
  i18n.global.locale.value = language
  saveLanguage(language)
  markDocument(language)
}
