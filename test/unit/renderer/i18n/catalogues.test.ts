/**
 * Every language has every message, with the same placeholders: a key missing in one
 * catalogue would show English (or the key) in a Chinese window, and a placeholder spelled
 * differently would show `{file}` instead of the file. English plural forms (`one | other`)
 * may be a single form in Chinese.
 */
import { describe, expect, it } from 'vitest'
import { en } from '../../../../src-renderer/src/locales/en'
import { zhCN } from '../../../../src-renderer/src/locales/zh-CN'

type Catalogue = { [key: string]: string | Catalogue }

function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>()
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') entries.set(path, value)
    else for (const [inner, text] of flatten(value, path)) entries.set(inner, text)
  }
  return entries
}

const placeholders = (message: string) => [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort()
/** vue-i18n reads `@` as a linked message and `|` as plural forms; a message may use them only on purpose. */
const SPECIAL = /[@|]/

describe('message catalogues', () => {
  const english = flatten(en)
  const chinese = flatten(zhCN)

  it('have the same keys in English and Simplified Chinese', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort())
  })

  it('have the same placeholders and the same number of plural forms in every message', () => {
    for (const [key, message] of english) {
      const translated = chinese.get(key)!
      expect({ key, placeholders: placeholders(translated) }).toEqual({ key, placeholders: placeholders(message) })
      // Chinese nouns do not inflect for number: one form serves every count.
      const forms = translated.split('|').length
      expect({ key, forms: forms === 1 ? message.split('|').length : forms }).toEqual({ key, forms: message.split('|').length })
    }
  })

  it('leave no message empty or untranslated, and use no special character by accident', () => {
    for (const [key, message] of chinese) {
      expect({ key, empty: message.trim() === '' }).toEqual({ key, empty: false })
      expect({ key, special: SPECIAL.test(message) && !english.get(key)!.includes('|') }).toEqual({ key, special: false })
    }
    // Paths and examples may stay as they are; sentences must not.
    const sameAsEnglish = [...chinese].filter(([key, message]) => message === english.get(key) && /\s[a-z]+\s/.test(message)).map(([key]) => key)
    expect(sameAsEnglish).toEqual([])
  })
})
