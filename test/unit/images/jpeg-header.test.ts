/**
 * decodeImageFile reads a JPEG's size and EXIF orientation itself (readJpegHeader) instead of
 * asking sharp first. Its reading must agree with sharp's on every orientation, both byte
 * orders, progressive files and files without EXIF, and give up (null: sharp's way is taken) on
 * anything unusual; the decoded image must be the one sharp's way gives.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeImageFile, readJpegHeader } from '../../../src-main/core/images/decode-image'

let folder: string
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'jpeg-header-'))
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

function pixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3)
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 7)) & 0xff
  return data
}

async function jpeg(name: string, options: { orientation?: number; progressive?: boolean; width?: number; height?: number } = {}): Promise<string> {
  const width = options.width ?? 37
  const height = options.height ?? 21
  const path = join(folder, name)
  let image = sharp(pixels(width, height), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90, progressive: options.progressive ?? false })
  if (options.orientation !== undefined) image = image.withMetadata({ orientation: options.orientation })
  await image.toFile(path)
  return path
}

/** A JPEG whose EXIF block is replaced by one in the given byte order with the given orientation value. */
function withExif(base: Buffer, orientation: number, littleEndian: boolean): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4)
  tiff.write(littleEndian ? 'II' : 'MM', 0, 'latin1')
  const u16 = (value: number, at: number) => (littleEndian ? tiff.writeUInt16LE(value, at) : tiff.writeUInt16BE(value, at))
  const u32 = (value: number, at: number) => (littleEndian ? tiff.writeUInt32LE(value, at) : tiff.writeUInt32BE(value, at))
  u16(42, 2)
  u32(8, 4)
  u16(1, 8)
  u16(0x0112, 10)
  u16(3, 12)
  u32(1, 14)
  u16(orientation, 18)
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
  const segment = Buffer.alloc(4)
  segment.writeUInt16BE(0xffe1, 0)
  segment.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([base.subarray(0, 2), segment, payload, base.subarray(2)])
}

describe('readJpegHeader', () => {
  it('agrees with sharp on size and orientation for all eight orientations', async () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      const path = await jpeg(`o${orientation}.jpg`, { orientation })
      const metadata = await sharp(path).metadata()
      expect(readJpegHeader(readFileSync(path)), `orientation ${orientation}`).toEqual({ width: metadata.width, height: metadata.height, orientation: metadata.orientation ?? 1 })
    }
  })

  it('reads progressive files and files without EXIF (orientation 1)', async () => {
    const progressive = await jpeg('progressive.jpg', { progressive: true, width: 300, height: 7 })
    expect(readJpegHeader(readFileSync(progressive))).toEqual({ width: 300, height: 7, orientation: 1 })
    const plain = await jpeg('plain.jpg')
    expect((await sharp(plain).metadata()).orientation).toBeUndefined()
    expect(readJpegHeader(readFileSync(plain))).toEqual({ width: 37, height: 21, orientation: 1 })
  })

  it('reads EXIF in both byte orders, as sharp does', async () => {
    const base = readFileSync(await jpeg('base.jpg'))
    for (const littleEndian of [true, false]) {
      const bytes = withExif(base, 6, littleEndian)
      expect((await sharp(bytes).metadata()).orientation).toBe(6)
      expect(readJpegHeader(bytes)).toEqual({ width: 37, height: 21, orientation: 6 })
    }
  })

  it('gives up on what is unusual: an orientation outside 1–8, two EXIF blocks, truncation, other formats', async () => {
    const base = readFileSync(await jpeg('base2.jpg'))
    expect(readJpegHeader(withExif(base, 9, true))).toBeNull()
    expect(readJpegHeader(withExif(withExif(base, 3, true), 3, true))).toBeNull()
    expect(readJpegHeader(base.subarray(0, 30))).toBeNull()
    expect(readJpegHeader(new Uint8Array([0xff, 0xd8]))).toBeNull()
    expect(readJpegHeader(readFileSync(join(folder, 'o1.jpg')).subarray(1))).toBeNull()
  })
})

describe('decodeImageFile on JPEGs', () => {
  it('gives the pixels, size and orientation sharp gives', async () => {
    for (const orientation of [1, 3, 6, 8]) {
      const path = await jpeg(`decoded-${orientation}.jpg`, { orientation, width: 64, height: 40 })
      const image = await decodeImageFile(path)
      const expected = await sharp(path, { failOn: 'error', ignoreIcc: true }).autoOrient().toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true })
      expect([image.width, image.height, image.orientation, image.format]).toEqual([expected.info.width, expected.info.height, orientation, 'jpeg'])
      expect(Buffer.compare(Buffer.from(image.data), expected.data)).toBe(0)
    }
  })

  it('still refuses a JPEG above the pixel limit with the size in the message', async () => {
    const path = await jpeg('large.jpg', { width: 200, height: 100 })
    await expect(decodeImageFile(path, { maxPixels: 10_000 })).rejects.toThrow(/200×100 is 0\.0 megapixels, above the limit/)
  })
})
