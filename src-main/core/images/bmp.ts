/**
 * Windows bitmaps. The bundled libvips in sharp has no BMP loader, so dimensions come
 * from the header and thumbnails from this decoder (uncompressed 24/32-bit and
 * palette-based 8-bit, the kinds cameras and scanners write). Other variants are
 * reported as unsupported instead of being misread.
 */

export interface BmpHeader {
  width: number
  height: number
  /** Rows stored top-down (negative height in the file). */
  topDown: boolean
  bitsPerPixel: number
  compression: number
  pixelOffset: number
  paletteOffset: number
  paletteSize: number
}

const BI_RGB = 0
const BI_BITFIELDS = 3
const MAX_DIMENSION = 30000

export function readBmpHeader(data: Uint8Array): BmpHeader {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (buffer.length < 26 || buffer.toString('latin1', 0, 2) !== 'BM') throw new Error('not a BMP file')
  const pixelOffset = buffer.readUInt32LE(10)
  const headerSize = buffer.readUInt32LE(14)
  if (headerSize < 40 || buffer.length < 14 + 40) throw new Error('unsupported BMP header')
  const width = buffer.readInt32LE(18)
  const rawHeight = buffer.readInt32LE(22)
  const bitsPerPixel = buffer.readUInt16LE(28)
  const compression = buffer.readUInt32LE(30)
  const colorsUsed = buffer.readUInt32LE(46)
  const height = Math.abs(rawHeight)
  if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
    throw new Error('invalid BMP dimensions')
  }
  return {
    width,
    height,
    topDown: rawHeight < 0,
    bitsPerPixel,
    compression,
    pixelOffset,
    paletteOffset: 14 + headerSize,
    paletteSize: colorsUsed || (bitsPerPixel <= 8 ? 1 << bitsPerPixel : 0),
  }
}

function bmpRowBytes(header: BmpHeader): number {
  return Math.ceil((header.width * header.bitsPerPixel) / 32) * 4
}

/** Offset just past the last pixel row; a shorter file is truncated. */
export function bmpPixelDataEnd(header: BmpHeader): number {
  return header.pixelOffset + bmpRowBytes(header) * header.height
}

/** Decodes to packed RGB, top row first. */
export function decodeBmp(data: Uint8Array): { width: number; height: number; rgb: Buffer } {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const header = readBmpHeader(buffer)
  const { width, height, bitsPerPixel } = header
  const supported =
    (header.compression === BI_RGB && [8, 24, 32].includes(bitsPerPixel)) ||
    (header.compression === BI_BITFIELDS && bitsPerPixel === 32)
  if (!supported) throw new Error(`unsupported BMP variant (${bitsPerPixel}-bit, compression ${header.compression})`)

  const rowBytes = bmpRowBytes(header)
  if (bmpPixelDataEnd(header) > buffer.length) throw new Error('truncated BMP pixel data')

  const rgb = Buffer.alloc(width * height * 3)
  for (let row = 0; row < height; row++) {
    const sourceRow = header.topDown ? row : height - 1 - row
    const rowStart = header.pixelOffset + sourceRow * rowBytes
    for (let x = 0; x < width; x++) {
      const target = (row * width + x) * 3
      if (bitsPerPixel === 8) {
        const paletteIndex = buffer[rowStart + x]!
        if (paletteIndex >= header.paletteSize) throw new Error('BMP palette index out of range')
        const entry = header.paletteOffset + paletteIndex * 4
        rgb[target] = buffer[entry + 2]!
        rgb[target + 1] = buffer[entry + 1]!
        rgb[target + 2] = buffer[entry]!
      } else {
        // 24-bit and 32-bit (BI_RGB or the common BGRA bitfields) store blue, green, red.
        const source = rowStart + x * (bitsPerPixel / 8)
        rgb[target] = buffer[source + 2]!
        rgb[target + 1] = buffer[source + 1]!
        rgb[target + 2] = buffer[source]!
      }
    }
  }
  return { width, height, rgb }
}
