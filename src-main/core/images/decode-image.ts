/**
 * Decodes an image file into 8-bit RGB pixels in its displayed frame, the form the detector
 * consumes. EXIF orientation (all eight values) is applied, so pixel (0,0) is the top-left
 * corner the user sees. Grayscale, CMYK, 16-bit and palette images all come out as 8-bit
 * sRGB. An alpha channel is dropped without compositing, as PIL's `.convert('RGB')` does
 * (the conversion torchvision's reference pipeline uses), so a transparent pixel keeps its
 * stored colour. Embedded ICC profiles are ignored, as PIL ignores them. 16-bit samples are
 * scaled to 8 bits (PIL would clip them instead, which turns most 16-bit photographs white;
 * scaling is what a labeler expects to see).
 *
 * Sizes are checked from the header before any pixel is decoded: a file whose header claims
 * more than `maxPixels` pixels is refused, so a forged header never makes us allocate gigabytes.
 */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import sharp, { type Metadata } from 'sharp'
import { bmpPixelDataEnd, decodeBmp, readBmpHeader } from './bmp'
import { SNIFF_BYTES, sniffImageFormat } from './image-format'
import { readFileHead } from './image-metadata'

export interface DecodedImage {
  /** Interleaved RGB, row-major (height × width × 3). */
  data: Uint8Array
  /** Displayed size (after EXIF orientation). */
  width: number
  height: number
  /** The EXIF orientation that was applied (1 when absent). */
  orientation: number
  /** Container format as detected from the file's content (jpeg, png, webp, ...). */
  format: string
}

export interface DecodeImageOptions {
  /** Largest accepted width × height, judged from the header. */
  maxPixels?: number
}

/** 100 megapixels: above any camera in common use, far below what would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 100_000_000

export type ImageDecodeErrorKind = 'unreadable' | 'empty' | 'not-an-image' | 'too-large' | 'corrupt'

/** A per-image failure; its message names the file and says what is wrong with it. */
export class ImageDecodeError extends Error {
  constructor(
    readonly kind: ImageDecodeErrorKind,
    readonly path: string,
    /** What is wrong, without the file name. */
    readonly detail: string,
  ) {
    super(`${basename(path)}: ${detail}`)
    this.name = 'ImageDecodeError'
  }
}

/** Formats sharp's bundled libvips decodes; vector and document formats are not photographs. */
const RASTER_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'heif', 'avif', 'jp2', 'jxl'])

/**
 * Files up to this size are read into memory once and decoded from there: one read instead of
 * opening the file three times (sniffing, header, pixels), which is a measurable share of
 * decoding a photo. Larger files are decoded from their path.
 */
const READ_WHOLE_FILE_BYTES = 64 * 1024 * 1024

export async function decodeImageFile(path: string, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS
  let size: number
  try {
    const stats = await stat(path)
    if (!stats.isFile()) throw new ImageDecodeError('unreadable', path, 'not a regular file')
    size = stats.size
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error
    throw new ImageDecodeError('unreadable', path, `cannot be read (${firstLine(error)})`)
  }
  if (size === 0) throw new ImageDecodeError('empty', path, 'the file is empty (0 bytes)')

  if (size <= READ_WHOLE_FILE_BYTES) {
    let bytes: Buffer
    try {
      bytes = await readFile(path)
    } catch (error) {
      throw new ImageDecodeError('unreadable', path, `cannot be read (${firstLine(error)})`)
    }
    const format = sniffImageFormat(bytes.subarray(0, SNIFF_BYTES))
    if (format === 'bmp') return decodeBitmap(path, bytes.length, maxPixels, bytes)
    if (format === 'jpeg') {
      const decoded = await decodeJpegDirectly(bytes, maxPixels)
      if (decoded) return decoded
    }
    return decodeWithSharp(path, bytes, maxPixels)
  }
  const head = await readFileHead(path, Math.max(SNIFF_BYTES, 64))
  if (sniffImageFormat(head) === 'bmp') return decodeBitmap(path, size, maxPixels, null)
  return decodeWithSharp(path, path, maxPixels)
}

/**
 * A JPEG whose header this module reads itself (size and EXIF orientation) is decoded without
 * asking sharp for its metadata first, which costs as much as a tenth of decoding a photo. Null
 * when the header is unusual or decoding fails: decodeWithSharp then does it the general way,
 * with its checks and its error messages.
 */
async function decodeJpegDirectly(bytes: Buffer, maxPixels: number): Promise<DecodedImage | null> {
  const header = readJpegHeader(bytes)
  if (!header || header.width * header.height > maxPixels) return null
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', ignoreIcc: true })
      .autoOrient()
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) return null
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, orientation: header.orientation, format: 'jpeg' }
  } catch {
    return null
  }
}

/** Start-of-frame markers (baseline, extended, progressive, lossless; Huffman or arithmetic). */
const START_OF_FRAME = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])

/**
 * Stored size and EXIF orientation (1 without EXIF) of a JPEG, from its segments up to the
 * first scan (all a decoder reads before the pixels). Null for anything unusual (a second EXIF
 * block or frame header, an orientation outside 1–8, truncated segments), which sharp's own
 * reading then handles.
 */
export function readJpegHeader(bytes: Uint8Array): { width: number; height: number; orientation: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null
  let orientation: number | null = null
  let size: { width: number; height: number } | null = null
  let position = 2
  while (position + 4 <= bytes.length) {
    if (bytes[position] !== 0xff) return null
    const marker = bytes[position + 1]!
    if (marker === 0xff) {
      position++ // fill byte
      continue
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) return null
    const length = view.getUint16(position + 2)
    const start = position + 4
    const end = position + 2 + length
    if (length < 2 || end > bytes.length) return null
    if (marker === 0xda) {
      // The first scan: every marker the decoder reads before pixels has been seen.
      return size && size.width > 0 && size.height > 0 ? { ...size, orientation: orientation ?? 1 } : null
    }
    if (marker === 0xd9) return null
    if (START_OF_FRAME.has(marker)) {
      if (length < 7 || size) return null
      size = { height: view.getUint16(start + 1), width: view.getUint16(start + 3) }
    }
    if (marker === 0xe1 && isExif(bytes, start, end)) {
      if (orientation !== null) return null
      orientation = exifOrientation(view, start + 6, end)
      if (orientation === null) return null
    }
    position = end
  }
  return null
}

function isExif(bytes: Uint8Array, start: number, end: number): boolean {
  const signature = [0x45, 0x78, 0x69, 0x66, 0, 0] // "Exif\0\0"
  return end - start >= 14 && signature.every((byte, index) => bytes[start + index] === byte)
}

/** Orientation tag (0x0112) of IFD0 in the TIFF structure at [tiff, end); 1 when absent, null when malformed. */
function exifOrientation(view: DataView, tiff: number, end: number): number | null {
  const order = view.getUint16(tiff)
  if (order !== 0x4949 && order !== 0x4d4d) return null
  const little = order === 0x4949
  if (view.getUint16(tiff + 2, little) !== 42) return null
  const ifd = tiff + view.getUint32(tiff + 4, little)
  if (ifd + 2 > end) return null
  const entries = view.getUint16(ifd, little)
  if (ifd + 2 + entries * 12 > end) return null
  for (let entry = 0; entry < entries; entry++) {
    const at = ifd + 2 + entry * 12
    if (view.getUint16(at, little) !== 0x0112) continue
    if (view.getUint16(at + 2, little) !== 3 || view.getUint32(at + 4, little) !== 1) return null
    const value = view.getUint16(at + 8, little)
    return value >= 1 && value <= 8 ? value : null
  }
  return 1
}

/** `source` is the file's content, or its path when it is too large to read at once. */
async function decodeWithSharp(path: string, source: string | Buffer, maxPixels: number): Promise<DecodedImage> {
  let metadata: Metadata
  try {
    // Reads the header only; no pixel buffer exists yet.
    metadata = await sharp(source, { limitInputPixels: false }).metadata()
  } catch (error) {
    throw new ImageDecodeError('not-an-image', path, `not a supported image (${firstLine(error)})`)
  }
  if (!RASTER_FORMATS.has(metadata.format)) {
    throw new ImageDecodeError('not-an-image', path, `unsupported image format "${metadata.format}"`)
  }
  const storedWidth = metadata.width ?? 0
  const storedHeight = metadata.height ?? 0
  if (storedWidth <= 0 || storedHeight <= 0) throw new ImageDecodeError('corrupt', path, 'the header gives no image size')
  checkPixelLimit(path, storedWidth, storedHeight, maxPixels)

  const orientation = metadata.orientation ?? 1
  try {
    // ignoreIcc: the stored values, as PIL (and so torchvision's training and reference code)
    // reads them; colour-managing a Display P3 photo into sRGB would shift what the model sees.
    const { data, info } = await sharp(source, { limitInputPixels: maxPixels, failOn: 'error', ignoreIcc: true })
      .autoOrient()
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`)
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      orientation,
      format: metadata.format,
    }
  } catch (error) {
    const reason = await explainDecodeFailure(error, () =>
      sharp(source, { limitInputPixels: maxPixels, failOn: 'error', ignoreIcc: true }).raw().toBuffer(),
    )
    throw new ImageDecodeError('corrupt', path, `the ${metadata.format.toUpperCase()} data cannot be decoded (${reason})`)
  }
}

/**
 * libvips keeps one error buffer for all threads, so a decode running at the same moment can
 * clear it and sharp then reports "Unknown error" for a file whose real fault (say "premature
 * end of JPEG image") went to the log. Decoding the file again almost always recovers the
 * reason; if not, say so plainly instead of "Unknown error".
 */
async function explainDecodeFailure(error: unknown, decodeAgain: () => Promise<unknown>): Promise<string> {
  const isUnknown = (text: string) => text === '' || /^unknown error$/i.test(text)
  let reason = firstLine(error)
  for (let attempt = 0; attempt < 3 && isUnknown(reason); attempt++) {
    try {
      await decodeAgain()
      break
    } catch (again) {
      reason = firstLine(again)
    }
  }
  return isUnknown(reason) ? 'the decoder gave no reason; the file is probably truncated or damaged' : reason
}

/** libvips in sharp has no BMP loader; the project's own decoder handles the common variants. `bytes`: the file, when already read. */
async function decodeBitmap(path: string, size: number, maxPixels: number, bytes: Buffer | null): Promise<DecodedImage> {
  let header
  try {
    header = readBmpHeader(bytes ? bytes.subarray(0, 64) : await readFileHead(path, 64))
  } catch (error) {
    throw new ImageDecodeError('corrupt', path, `the BMP header cannot be read (${firstLine(error)})`)
  }
  checkPixelLimit(path, header.width, header.height, maxPixels)
  if (size < bmpPixelDataEnd(header)) throw new ImageDecodeError('corrupt', path, 'the BMP pixel data is truncated')
  try {
    const { width, height, rgb } = decodeBmp(bytes ?? (await readFile(path)))
    return { data: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength), width, height, orientation: 1, format: 'bmp' }
  } catch (error) {
    throw new ImageDecodeError('corrupt', path, `the BMP data cannot be decoded (${firstLine(error)})`)
  }
}

function checkPixelLimit(path: string, width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new ImageDecodeError(
      'too-large',
      path,
      `${width}×${height} is ${formatMegapixels(width * height)}, above the limit of ${formatMegapixels(maxPixels)}`,
    )
  }
}

function formatMegapixels(pixels: number): string {
  return `${(pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0)} megapixels`
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split('\n')[0] ?? '').trim().slice(0, 200)
}
