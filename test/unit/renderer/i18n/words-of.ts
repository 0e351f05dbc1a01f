import { createI18n } from 'vue-i18n'
import type { Words } from '../../../../src-renderer/src/i18n/words'
import { en } from '../../../../src-renderer/src/locales/en'
import { zhCN } from '../../../../src-renderer/src/locales/zh-CN'

/** The app's catalogues as the `Words` a component passes to a wording function, for one language. */
export function wordsOf(locale: 'en' | 'zh-CN'): Words {
  const { t } = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zhCN } }).global
  return { t: (key, values, plural) => (plural === undefined ? t(key, values ?? {}) : t(key, values ?? {}, plural)), locale }
}
