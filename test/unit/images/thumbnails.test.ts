import { mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { THUMBNAIL_SIZE, ThumbnailCache, type ThumbnailSource } from '../../../src-main/core/images/thumbnails'
import { createImageFolder, type GeneratedImage, type GeneratedImageFolder } from '../../helpers/image-folder'

const PROJECT_A = '1b4e28ba-2fa1-11d2-883f-0016d3cca427'
const PROJECT_B = '6fa459ea-ee8a-3ca4-894e-db77e160355e'

let folder: string
let generated: GeneratedImageFolder

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-thumbs-'))
  generated = await createImageFolder(join(folder, 'images'))
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

function sourceOf(image: GeneratedImage, imageId: number, mtimeMs = 1000): ThumbnailSource {
  return { projectUuid: PROJECT_A, imageId, absolutePath: image.absolutePath, format: image.format, mtimeMs }
}

describe('ThumbnailCache', () => {
  it('makes an EXIF-rotated JPEG thumbnail of every format, in displayed orientation', async () => {
    const cache = new ThumbnailCache(join(folder, 'cache-all'))
    for (const [index, image] of generated.images.entries()) {
      const path = await cache.get(sourceOf(image, index + 1))
      const metadata = await sharp(path).metadata()
      expect({ path: image.relativePath, format: metadata.format, width: metadata.width, height: metadata.height }).toEqual(
        { path: image.relativePath, format: 'jpeg', width: image.width, height: image.height },
      )
      expect(metadata.orientation ?? 1).toBe(1)
    }
  })

  it('scales large images to fit the thumbnail size', async () => {
    const big = join(folder, 'big.png')
    await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#123456' } }).png().toFile(big)
    const cache = new ThumbnailCache(join(folder, 'cache-big'))
    const path = await cache.get({ projectUuid: PROJECT_B, imageId: 1, absolutePath: big, format: 'png', mtimeMs: 1 })
    const metadata = await sharp(path).metadata()
    expect([metadata.width, metadata.height]).toEqual([THUMBNAIL_SIZE, THUMBNAIL_SIZE / 2])
  })

  it('generates a thumbnail once for concurrent requests', async () => {
    const cache = new ThumbnailCache(join(folder, 'cache-dedupe'))
    const source = sourceOf(generated.images[0]!, 1)
    const requests = Array.from({ length: 8 }, () => cache.get(source))
    expect(cache.pendingCount).toBe(1)
    const paths = await Promise.all(requests)
    expect(new Set(paths).size).toBe(1)
    expect(cache.pendingCount).toBe(0)
    const files = await readdir(join(folder, 'cache-dedupe', PROJECT_A))
    expect(files).toEqual(['1-1000.jpg'])
  })

  it('reuses the cached file and makes a new one when the image mtime changes', async () => {
    const cache = new ThumbnailCache(join(folder, 'cache-reuse'))
    const image = generated.images[1]!
    const first = await cache.get(sourceOf(image, 2, 1000))
    // Mark the cached file so a regeneration would be visible.
    await utimes(first, new Date(0), new Date(0))
    expect(await cache.get(sourceOf(image, 2, 1000))).toBe(first)
    expect((await stat(first)).mtimeMs).toBe(0)
    const second = await cache.get(sourceOf(image, 2, 2000))
    expect(second).not.toBe(first)
  })

  it('keeps projects apart and can clear one project', async () => {
    const cache = new ThumbnailCache(join(folder, 'cache-projects'))
    const image = generated.images[0]!
    const a = await cache.get({ ...sourceOf(image, 1), projectUuid: PROJECT_A })
    const b = await cache.get({ ...sourceOf(image, 1), projectUuid: PROJECT_B })
    expect(a).not.toBe(b)
    await cache.clearProject(PROJECT_A)
    await expect(stat(a)).rejects.toThrow()
    await expect(stat(b)).resolves.toBeTruthy()
  })

  it('rejects an undecodable image and caches nothing', async () => {
    const cache = new ThumbnailCache(join(folder, 'cache-bad'))
    const withCorrupt = await createImageFolder(join(folder, 'with-corrupt'), { includeCorrupt: true })
    const source: ThumbnailSource = {
      projectUuid: PROJECT_B,
      imageId: 9,
      absolutePath: withCorrupt.corruptFiles[0]!,
      format: 'jpeg',
      mtimeMs: 1,
    }
    await expect(cache.get(source)).rejects.toThrow()
    expect(await readdir(join(folder, 'cache-bad', PROJECT_B))).toEqual([])
  })
})

describe('ThumbnailCache paths', () => {
  it('refuses a project uuid that is not a uuid, so the cache path cannot leave its root', async () => {
    const cache = new ThumbnailCache(join(folder, 'cache-escape'))
    const escape = { projectUuid: '../../../../tmp/escape', imageId: 1, absolutePath: '/x', format: 'png' as const, mtimeMs: 1 }
    expect(() => cache.pathFor(escape)).toThrow(/is not a project uuid/)
    await expect(cache.get(escape)).rejects.toThrow(/is not a project uuid/)
    await expect(cache.clearProject('..')).rejects.toThrow(/is not a project uuid/)
  })
})
