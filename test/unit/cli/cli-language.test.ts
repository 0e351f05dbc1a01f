import { describe, expect, it } from 'vitest'
import { cliLanguage, cliWords } from '../../../src-main/cli/cli-language'
import { AppError } from '../../../src-main/core/errors'
import { ProblemLog } from '../../../src-main/core/formats/label-set'

describe('CLI language', () => {
  it('follows LC_ALL, then LC_MESSAGES, then LANG, the first one set', () => {
    expect(cliLanguage({})).toBe('en')
    expect(cliLanguage({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN')
    expect(cliLanguage({ LANG: 'zh_TW.UTF-8' })).toBe('zh-CN')
    expect(cliLanguage({ LANG: 'zh' })).toBe('zh-CN')
    expect(cliLanguage({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' })).toBe('en')
    expect(cliLanguage({ LANG: 'en_GB.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' })).toBe('zh-CN')
    expect(cliLanguage({ LANG: 'zh_CN.UTF-8', LC_ALL: '' })).toBe('zh-CN')
    expect(cliLanguage({ LANG: 'zu_ZA.UTF-8' })).toBe('en')
  })

  it('words an error with a key in its language, and one without in its own text', () => {
    const error = new AppError('not-found', { key: 'image.notFound', values: { imageId: 7 } })
    expect(error.message).toBe('This project has no image with id 7.')
    expect(cliWords('en').errorText(error)).toBe('This project has no image with id 7.')
    expect(cliWords('zh-CN').errorText(error)).toBe('此项目中没有 id 为 7 的图像。')
    expect(cliWords('zh-CN').errorText(new Error('disk on fire'))).toBe('disk on fire')
    expect(cliWords('zh-CN').say('cli.error', { message: 'x' })).toBe('错误：x')
  })

  it('words an import problem logged with a key, keeping its English beside it', () => {
    const problems = new ProblemLog()
    problems.add('labels.json', 'annotation 4', { key: 'importProblem.cocoUnknownImage', values: { id: '12' } })
    problems.add('labels.json', undefined, 'a reason without a key')
    const [keyed, plain] = problems.items
    expect(keyed!.message).toBe('"image_id" 12 is not an image of this file; left out')
    expect(cliWords('zh-CN').text(keyed!)).toBe('"image_id" 12 不是此文件中的图像；未导入')
    expect(cliWords('zh-CN').text(plain!)).toBe('a reason without a key')
  })
})

describe('CLI words for keys it does not know', () => {
  it('fall back to the English text instead of failing while reporting', () => {
    const unknown = { message: 'from a newer version', said: { key: 'no.such.key' } } as unknown as { message: string }
    expect(cliWords('zh-CN').text(unknown)).toBe('from a newer version')
    expect(cliWords('zh-CN').errorText(Object.assign(new Error('plain English'), { said: { key: 'constructor' } }))).toBe('plain English')
  })
})
