import { readFile } from 'node:fs/promises'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeBmp, readBmpHeader } from '../../../src-main/core/images/bmp'
import { sniffImageFormat } from '../../../src-main/core/images/image-format'
import { createImageFolder, encodeBmp, type GeneratedImageFolder } from '../../helpers/image-folder'

let folder: string
let generated: GeneratedImageFolder

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-format-'))
  generated = await createImageFolder(folder)
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('sniffImageFormat', () => {
  it('recognises every generated image from its first bytes', async () => {
    for (const image of generated.images) {
      const head = (await readFile(image.absolutePath)).subarray(0, 16)
      expect(sniffImageFormat(head)).toBe(image.format)
    }
  })

  it.each([
    ['text', Buffer.from('hello, world, not an image')],
    ['empty', Buffer.alloc(0)],
    ['a RIFF that is not WebP', Buffer.from('RIFF\0\0\0\0WAVEfmt ')],
    ['a lone BM', Buffer.from('BM')],
    ['an SQLite file', Buffer.from('SQLite format 3\0')],
  ])('rejects %s', (_name, bytes) => {
    expect(sniffImageFormat(bytes)).toBeUndefined()
  })
})

describe('BMP decoding', () => {
  it('reads the header and decodes bottom-up rows into top-down RGB', () => {
    const bmp = encodeBmp(5, 3, { r: 10, g: 20, b: 30 })
    expect(readBmpHeader(bmp)).toMatchObject({ width: 5, height: 3, bitsPerPixel: 24, topDown: false })
    const { width, height, rgb } = decodeBmp(bmp)
    expect([width, height, rgb.length]).toEqual([5, 3, 45])
    // (0,0) is outside the stripe in the generator; the stripe starts at x + y = 4.
    expect([...rgb.subarray(0, 3)]).toEqual([10, 20, 30])
  })

  it('refuses truncated pixel data instead of reading past the end', () => {
    const bmp = encodeBmp(8, 8, { r: 1, g: 2, b: 3 })
    expect(() => decodeBmp(bmp.subarray(0, 80))).toThrow(/truncated/)
  })

  it('refuses absurd dimensions', () => {
    const bmp = encodeBmp(2, 2, { r: 1, g: 2, b: 3 })
    bmp.writeInt32LE(1_000_000, 18)
    expect(() => readBmpHeader(bmp)).toThrow(/dimensions/)
  })
})
