import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createImageFolder, type GeneratedImageFolder } from '../../helpers/image-folder'
import { type ServerHarness, startHarness } from './server-harness'

let harness: ServerHarness
let images: GeneratedImageFolder
let otherImages: GeneratedImageFolder

beforeAll(async () => {
  harness = await startHarness()
  images = await createImageFolder(join(harness.folder, 'birds'), { includeCorrupt: true, extraImages: 25 })
  otherImages = await createImageFolder(join(harness.folder, 'cats'))
  await mkdir(join(harness.folder, 'projects'))
})

afterAll(async () => {
  await harness.stop()
})

describe('create → list → image over HTTP', () => {
  let projectFile: string

  it('creates a project and reports what the scan found', async () => {
    const { body } = await harness.call('project.create', { imageFolder: images.root, name: 'Birds' })
    expect(body.ok).toBe(true)
    projectFile = body.value.file
    expect(body.value).toMatchObject({
      name: 'Birds',
      imageRoot: images.root,
      imageCount: images.images.length,
      scan: { imageCount: images.images.length, skippedCount: 1 },
    })
    expect((await harness.call('project.current')).body.value.file).toBe(projectFile)
  })

  it('refuses to create it again', async () => {
    const { body } = await harness.call('project.create', { imageFolder: images.root })
    expect(body).toMatchObject({ ok: false, error: { code: 'conflict' } })
  })

  it('lists images page by page in path order', async () => {
    const seen: string[] = []
    for (let offset = 0; ; offset += 10) {
      const { body } = await harness.call('images.list', { offset, limit: 10 })
      expect(body.value.total).toBe(images.images.length)
      expect(body.value.offset).toBe(offset)
      seen.push(...body.value.items.map((item: { relativePath: string }) => item.relativePath))
      if (body.value.items.length < 10) break
    }
    expect(seen).toEqual(images.images.map((image) => image.relativePath))
  })

  it('serves each image by id with its content type, and the same bytes as on disk', async () => {
    const { body } = await harness.call('images.list', { offset: 0, limit: 100 })
    for (const item of body.value.items as Array<{ id: number; relativePath: string }>) {
      const expected = images.images.find((image) => image.relativePath === item.relativePath)!
      const response = await harness.get(`/image/${item.id}`)
      expect(response.status).toBe(200)
      const bytes = Buffer.from(await response.arrayBuffer())
      const metadata = await sharp(bytes).metadata().catch(() => undefined)
      if (expected.format === 'bmp') {
        expect(response.headers.get('content-type')).toBe('image/bmp')
      } else if (expected.format === 'tiff') {
        // Browsers cannot show TIFF: it arrives as PNG in its displayed orientation.
        expect(response.headers.get('content-type')).toBe('image/png')
        expect([metadata?.width, metadata?.height]).toEqual([expected.width, expected.height])
      } else {
        expect(metadata?.format).toBe(expected.format)
        expect([metadata?.width, metadata?.height]).toEqual([expected.storedWidth, expected.storedHeight])
      }
    }
  })

  it('serves thumbnails as JPEG in displayed orientation', async () => {
    const rotated = images.images.find((image) => image.orientation === 6)!
    const { body } = await harness.call('images.list', { offset: 0, limit: 100 })
    const item = (body.value.items as Array<{ id: number; relativePath: string; width: number; height: number }>).find(
      (candidate) => candidate.relativePath === rotated.relativePath,
    )!
    expect([item.width, item.height]).toEqual([rotated.width, rotated.height])
    const response = await harness.get(`/thumb/${item.id}`)
    expect(response.headers.get('content-type')).toBe('image/jpeg')
    const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
    expect([metadata.width, metadata.height]).toEqual([rotated.width, rotated.height])
  })

  it('answers 304 when the browser already has the image', async () => {
    const first = await harness.get('/image/1')
    const etag = first.headers.get('etag')!
    await first.body?.cancel()
    const again = await harness.get('/image/1', { headers: { 'If-None-Match': etag } })
    expect(again.status).toBe(304)
  })

  it('gets one image by id and reports not-found for others', async () => {
    expect((await harness.call('images.get', { imageId: 1 })).body.value.id).toBe(1)
    expect((await harness.call('images.get', { imageId: 99999 })).body).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })

  it('answers 404 for nonexistent ids and anything that is not a plain id', async () => {
    for (const path of ['/image/99999', '/image/0', '/image/-1', '/image/1.5', '/image/abc', '/image/', '/thumb/99999',
      '/image/..%2f..%2fetc%2fpasswd', '/image/%2Fetc%2Fpasswd', '/image/1/extra', '/image/99999999999999999999']) {
      const response = await harness.get(path)
      expect({ path, status: response.status }).toEqual({ path, status: 404 })
      await response.body?.cancel()
    }
  })

  it('answers 404 for ids of a project that is no longer open', async () => {
    const { body } = await harness.call('images.list', { offset: 0, limit: 100 })
    const lastBirdId = Math.max(...(body.value.items as Array<{ id: number }>).map((item) => item.id))
    const cats = await harness.call('project.create', {
      imageFolder: otherImages.root,
      projectFile: join(harness.folder, 'projects', 'cats.rwproj'),
    })
    expect(cats.body.value.imageCount).toBeLessThan(lastBirdId)
    const response = await harness.get(`/image/${lastBirdId}`)
    expect(response.status).toBe(404)
    await response.body?.cancel()
  })

  it('reopens the first project from the recent list', async () => {
    const recent = (await harness.call('project.recent')).body.value as Array<{ file: string; exists: boolean }>
    expect(recent.map((entry) => entry.file)).toEqual([join(harness.folder, 'projects', 'cats.rwproj'), projectFile])
    expect(recent.every((entry) => entry.exists)).toBe(true)
    const opened = await harness.call('project.open', { projectFile })
    expect(opened.body.value.imageCount).toBe(images.images.length)
  })

  it('closes the project; images are then not found', async () => {
    expect((await harness.call('project.close', {})).body).toEqual({ ok: true, value: null })
    const response = await harness.get('/image/1')
    expect(response.status).toBe(404)
    await response.body?.cancel()
  })
})
