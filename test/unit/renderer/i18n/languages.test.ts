import { describe, expect, it } from 'vitest'
import { chooseLanguage, languageOf } from '../../../../src-renderer/src/i18n/languages'

describe('language choice', () => {
  it('maps every Chinese locale to Simplified Chinese, English ones to English, others to none', () => {
    expect(['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-SG', 'zh_TW', 'ZH-hk'].map(languageOf)).toEqual(Array(6).fill('zh-CN'))
    expect(['en', 'en-GB', 'en_US'].map(languageOf)).toEqual(['en', 'en', 'en'])
    expect(['fr-FR', 'ja', ''].map(languageOf)).toEqual([null, null, null])
  })

  it('prefers the person’s saved choice, then the first preferred language it has, then English', () => {
    expect(chooseLanguage('en', ['zh-CN'])).toBe('en')
    expect(chooseLanguage(null, ['fr-FR', 'zh-TW', 'en-US'])).toBe('zh-CN')
    expect(chooseLanguage('klingon', ['de', 'en-AU'])).toBe('en')
    expect(chooseLanguage(undefined, ['de', 'ja'])).toBe('en')
  })
})
