import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeImageFile, ImageDecodeError, type DecodedImage } from '../../../src-main/core/images/decode-image'

let folder: string
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'decode-image-'))
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** A 3×2 grid of 16-pixel blocks, every block a different saturated colour: no symmetry survives a wrong rotation. */
const BLOCK = 16
const GRID_COLUMNS = 3
const GRID_ROWS = 2
const GRID_COLOURS: [number, number, number][][] = [
  [[230, 20, 20], [20, 230, 20], [20, 20, 230]],
  [[230, 230, 20], [20, 230, 230], [230, 20, 230]],
]

function gridPixels(): Buffer {
  const width = GRID_COLUMNS * BLOCK
  const height = GRID_ROWS * BLOCK
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = GRID_COLOURS[Math.floor(y / BLOCK)]![Math.floor(x / BLOCK)]!
      data.set(colour, (y * width + x) * 3)
    }
  }
  return data
}

function pixelAt(image: DecodedImage, x: number, y: number): number[] {
  const offset = (y * image.width + x) * 3
  return Array.from(image.data.subarray(offset, offset + 3))
}

function expectColourNear(actual: number[], expected: number[], tolerance: number): void {
  for (let c = 0; c < 3; c++) expect(Math.abs(actual[c]! - expected[c]!), `channel ${c}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance)
}

/**
 * EXIF orientation, from the displayed block (column, row) to the stored one (TIFF 6.0 /
 * EXIF 2.3 tag 0x0112). W and H are the stored grid's size.
 */
function storedBlock(orientation: number, column: number, row: number): [number, number] {
  const W = GRID_COLUMNS
  const H = GRID_ROWS
  switch (orientation) {
    case 1: return [column, row]
    case 2: return [W - 1 - column, row]
    case 3: return [W - 1 - column, H - 1 - row]
    case 4: return [column, H - 1 - row]
    case 5: return [row, column]
    case 6: return [row, H - 1 - column]
    case 7: return [W - 1 - row, H - 1 - column]
    case 8: return [W - 1 - row, column]
    default: throw new Error(`no orientation ${orientation}`)
  }
}

describe('EXIF orientation', () => {
  for (let orientation = 1; orientation <= 8; orientation++) {
    it(`orientation ${orientation}: every block lands where the viewer shows it`, async () => {
      const file = join(folder, `orientation-${orientation}.jpg`)
      await sharp(gridPixels(), { raw: { width: GRID_COLUMNS * BLOCK, height: GRID_ROWS * BLOCK, channels: 3 } })
        .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
        .withMetadata({ orientation })
        .toFile(file)

      const image = await decodeImageFile(file)
      const swapped = orientation >= 5
      const displayedColumns = swapped ? GRID_ROWS : GRID_COLUMNS
      const displayedRows = swapped ? GRID_COLUMNS : GRID_ROWS
      expect(image.orientation).toBe(orientation)
      expect([image.width, image.height]).toEqual([displayedColumns * BLOCK, displayedRows * BLOCK])
      expect(image.data.length).toBe(image.width * image.height * 3)
      for (let row = 0; row < displayedRows; row++) {
        for (let column = 0; column < displayedColumns; column++) {
          const [storedColumn, storedRow] = storedBlock(orientation, column, row)
          const centre = pixelAt(image, column * BLOCK + BLOCK / 2, row * BLOCK + BLOCK / 2)
          expectColourNear(centre, GRID_COLOURS[storedRow]![storedColumn]!, 12)
        }
      }
    })
  }
})

describe('colour models and bit depths become 8-bit RGB', () => {
  it('grayscale: R = G = B = the grey value', async () => {
    const file = join(folder, 'gray.png')
    const grey = Buffer.from([0, 50, 100, 150, 200, 255])
    await sharp(grey, { raw: { width: 3, height: 2, channels: 1 } }).png().toFile(file)
    const image = await decodeImageFile(file)
    expect([image.width, image.height, image.format]).toEqual([3, 2, 'png'])
    expect(Array.from(image.data)).toEqual([...grey].flatMap((v) => [v, v, v]))
  })

  it('16-bit PNG: samples are scaled to 8 bits (v·257 → v), not clipped', async () => {
    const file = join(folder, 'deep.png')
    const values = [0, 1, 64, 128, 200, 255]
    const samples = new Uint16Array(values.flatMap((v) => [v * 257, v * 257, v * 257]))
    await sharp(samples, { raw: { width: 3, height: 2, channels: 3 } }).toColourspace('rgb16').png().toFile(file)
    expect((await sharp(file).metadata()).depth).toBe('ushort')
    const image = await decodeImageFile(file)
    expect(Array.from(image.data)).toEqual(values.flatMap((v) => [v, v, v]))
  })

  it('CMYK JPEG: converted to sRGB with the colours preserved', async () => {
    const file = join(folder, 'cmyk.jpg')
    await sharp(gridPixels(), { raw: { width: GRID_COLUMNS * BLOCK, height: GRID_ROWS * BLOCK, channels: 3 } })
      .toColourspace('cmyk')
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .toFile(file)
    expect((await sharp(file).metadata()).space).toBe('cmyk')
    const image = await decodeImageFile(file)
    expect([image.width, image.height]).toEqual([48, 32])
    // A CMYK round trip goes through an ICC profile: hues survive, exact values do not.
    const red = pixelAt(image, 8, 8)
    const blue = pixelAt(image, 40, 8)
    expect(red[0]!).toBeGreaterThan(red[1]! + 100)
    expect(blue[2]!).toBeGreaterThan(blue[0]! + 100)
  })

  it('palette PNG with transparency: the palette colours, alpha dropped (as PIL .convert("RGB"))', async () => {
    const file = join(folder, 'palette.png')
    // Written by hand so the transparent entry's colour is known (encoders may rewrite it).
    const palette = Buffer.from([255, 0, 0, 0, 0, 255, 255, 255, 255])
    const transparency = Buffer.from([255, 0, 128])
    const indices = Buffer.from([0, 0, 1, 0, 2, 1]) // two rows, each a filter byte and two indices
    writeFileSync(file, pngFile(2, 2, 3, indices, [['PLTE', palette], ['tRNS', transparency]]))
    const metadata = await sharp(file).metadata()
    expect(metadata.isPalette).toBe(true)
    expect(metadata.hasAlpha).toBe(true)
    const image = await decodeImageFile(file)
    expect(pixelAt(image, 0, 0)).toEqual([255, 0, 0])
    expect(pixelAt(image, 1, 0)).toEqual([0, 0, 255]) // fully transparent, colour kept
    expect(pixelAt(image, 0, 1)).toEqual([255, 255, 255]) // half transparent, not blended
    expect(pixelAt(image, 1, 1)).toEqual([0, 0, 255])
  })

  it('an embedded ICC profile is ignored: the stored values, as PIL reads them', async () => {
    const file = join(folder, 'display-p3.png')
    const orange = Buffer.alloc(4 * 4 * 3)
    for (let i = 0; i < orange.length; i += 3) orange.set([200, 60, 30], i)
    // sharp converts the pixels into the P3 profile it embeds; PIL reads back the stored (185, 71, 43).
    await sharp(orange, { raw: { width: 4, height: 4, channels: 3 } }).withIccProfile('p3').png().toFile(file)
    expect((await sharp(file).metadata()).hasProfile).toBe(true)
    // (185, 71, 43) is what PIL's Image.open(file).convert('RGB') gives for this file.
    const image = await decodeImageFile(file)
    expect(pixelAt(image, 0, 0)).toEqual([185, 71, 43])
  })

  it('RGBA PNG: the alpha channel is dropped, not composited on black or white', async () => {
    const file = join(folder, 'alpha.png')
    const rgba = Buffer.from([200, 10, 10, 0, 10, 200, 10, 128, 10, 10, 200, 255])
    await sharp(rgba, { raw: { width: 3, height: 1, channels: 4 } }).png().toFile(file)
    const image = await decodeImageFile(file)
    expect(Array.from(image.data)).toEqual([200, 10, 10, 10, 200, 10, 10, 10, 200])
  })
})

describe('bad files give a clear per-image error', () => {
  async function decodeError(file: string, maxPixels?: number): Promise<ImageDecodeError> {
    const error = await decodeImageFile(file, maxPixels === undefined ? {} : { maxPixels }).then(
      () => null,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(ImageDecodeError)
    return error as ImageDecodeError
  }

  it('zero-byte file', async () => {
    const file = join(folder, 'empty.jpg')
    writeFileSync(file, '')
    const error = await decodeError(file)
    expect(error.kind).toBe('empty')
    expect(error.message).toBe('empty.jpg: the file is empty (0 bytes)')
  })

  it('missing file', async () => {
    const error = await decodeError(join(folder, 'nowhere.png'))
    expect(error.kind).toBe('unreadable')
    expect(error.message).toMatch(/^nowhere\.png: cannot be read/)
  })

  it('text file named .jpg', async () => {
    const file = join(folder, 'notes.jpg')
    writeFileSync(file, 'these are my notes, not a photograph\n')
    const error = await decodeError(file)
    expect(error.kind).toBe('not-an-image')
    expect(error.message).toMatch(/^notes\.jpg: not a supported image/)
  })

  it('truncated JPEG', async () => {
    const noise = Buffer.alloc(64 * 64 * 3)
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251
    const whole = await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()
    const file = join(folder, 'truncated.jpg')
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)))
    const error = await decodeError(file)
    expect(error.kind).toBe('corrupt')
    expect(error.message).toMatch(/^truncated\.jpg: the JPEG data cannot be decoded/)
  })

  it('a PNG whose header claims 50,000×50,000 is refused by the pixel limit before any pixel is decoded', async () => {
    const file = join(folder, 'bomb.png')
    writeFileSync(file, handMadePng(50_000, 50_000))
    const before = process.memoryUsage().rss
    const error = await decodeError(file)
    const grownBy = process.memoryUsage().rss - before
    expect(error.kind).toBe('too-large')
    expect(error.message).toBe('bomb.png: 50000×50000 is 2500 megapixels, above the limit of 100 megapixels')
    // Decoding would need 7.5 GB for the RGB buffer alone.
    expect(grownBy).toBeLessThan(256 * 1024 * 1024)
  })

  it('the pixel limit is configurable', async () => {
    const file = join(folder, 'ordinary.png')
    await sharp({ create: { width: 100, height: 80, channels: 3, background: '#808080' } }).png().toFile(file)
    expect((await decodeImageFile(file, { maxPixels: 8000 })).width).toBe(100)
    const error = await decodeError(file, 7999)
    expect(error.kind).toBe('too-large')
    expect(error.message).toContain('100×80')
  })

  it('the hand-made PNG writer makes files sharp reads (so the refusal above is about size)', async () => {
    const file = join(folder, 'tiny-hand-made.png')
    writeFileSync(file, handMadePng(2, 1, true))
    const image = await decodeImageFile(file)
    expect([image.width, image.height]).toEqual([2, 1])
    expect(readFileSync(file).subarray(1, 4).toString('latin1')).toBe('PNG')
  })
})

/**
 * A PNG built byte by byte: signature, IHDR (8 bits per sample, the given colour type), any
 * extra chunks, one IDAT with the given filtered scanlines, IEND.
 */
function pngFile(width: number, height: number, colourType: number, scanlines: Buffer, extra: [string, Buffer][] = []): Buffer {
  const chunk = (type: string, payload: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(payload.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), payload])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, colourType, 0, 0, 0], 8) // deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...extra.map(([type, payload]) => chunk(type, payload)),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/**
 * An 8-bit RGB PNG of the given size. Unless `complete`, the IDAT holds a single short row,
 * far too little data for the claimed size; only the header matters to the size check.
 */
function handMadePng(width: number, height: number, complete = false): Buffer {
  const rowBytes = 1 + Math.min(width, 16) * 3
  const rows = complete ? height : 1
  const scanlines = Buffer.alloc(rows * rowBytes, 90)
  for (let row = 0; row < rows; row++) scanlines[row * rowBytes] = 0 // filter type: none
  return pngFile(width, height, 2, scanlines)
}
