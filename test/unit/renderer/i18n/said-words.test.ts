/**
 * What the main process says arrives as English text plus a key of the shared server
 * catalogue; the renderer words it from its own catalogue's `server` section, so the same key
 * reads the same in the window as in the CLI.
 */
import { ApiCallError } from '@shared/api/result'
import { inEnglish, wordSaid as wordSaidFrom, type Said } from '@shared/messages/said'
import { serverZhCN } from '@shared/messages/server-zh-CN'
import { describe, expect, it } from 'vitest'
import { saidTextOf, wordSaid } from '../../../../src-renderer/src/i18n/words'
import { wordsOf } from './words-of'

const title: Said = { key: 'jobs.exportingLabels', values: { format: 'COCO', folder: '/out' } }

describe('words the main process said', () => {
  it('are worded from the key in the window language, and read the same as in the CLI', () => {
    const entry = { message: inEnglish(title), said: title }
    expect(wordSaid(entry, wordsOf('en'))).toBe('Exporting labels as COCO to /out')
    expect(wordSaid(entry, wordsOf('zh-CN'))).toBe('正在将标注以 COCO 格式导出到 /out')
    expect(wordSaid(entry, wordsOf('zh-CN'))).toBe(wordSaidFrom(serverZhCN, title))
  })

  it('fall back to the English text where no key came with it', () => {
    expect(wordSaid({ message: 'disk on fire' }, wordsOf('zh-CN'))).toBe('disk on fire')
  })

  it('keep the key of a failed call to word it where it is shown', () => {
    const said: Said = { key: 'image.notFound', values: { imageId: 4 } }
    const failure = new ApiCallError({ code: 'not-found', message: inEnglish(said), said })
    expect(saidTextOf(failure)).toEqual({ message: 'This project has no image with id 4.', said })
    expect(wordSaid(saidTextOf(failure), wordsOf('zh-CN'))).toBe('此项目中没有 id 为 4 的图像。')
    expect(saidTextOf(new Error('plain'))).toEqual({ message: 'plain' })
  })
})
