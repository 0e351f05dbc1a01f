import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeImageFile } from '../../../src-main/core/images/decode-image'

/**
 * Issue 12, item 10: truncated JPEGs decoded alongside others showed "Unknown error" in the UI
 * (libvips shares one error buffer between threads) while the log had the real reason.
 */

let folder: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-decode-errors-'))
  const full = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
    .jpeg()
    .toBuffer()
  for (let index = 0; index < 16; index++) {
    await writeFile(join(folder, `${index}.jpg`), index % 2 === 0 ? full.subarray(0, Math.floor(full.length / 2)) : full)
  }
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('decode errors under concurrency', () => {
  it('never reports "Unknown error" for a truncated JPEG decoded alongside others', async () => {
    const messages: string[] = []
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 16 }, (_, index) =>
          decodeImageFile(join(folder, `${index}.jpg`)).then(
            () => undefined,
            (error: unknown) => void messages.push((error as Error).message),
          ),
        ),
      )
    }
    expect(messages).toHaveLength(40)
    expect(messages.filter((message) => /Unknown error/i.test(message))).toEqual([])
    // Nearly always the real reason; at worst a plain sentence, never the decoder's placeholder.
    expect(messages.some((message) => /premature end of JPEG image/.test(message))).toBe(true)
  })
})
