import { open, stat } from 'node:fs/promises'
import sharp from 'sharp'
import type { StoredImageFormat } from '../db/images-repository'
import { bmpPixelDataEnd, readBmpHeader } from './bmp'
import { SNIFF_BYTES, sniffImageFormat } from './image-format'

export interface ImageMetadata {
  format: StoredImageFormat
  /** Displayed size: EXIF orientations 5–8 swap the stored width and height. */
  width: number
  height: number
}

/** Bytes of a BMP needed for its header (file header + BITMAPINFOHEADER). */
const BMP_HEADER_BYTES = 54

export async function readFileHead(file: string, length: number): Promise<Buffer> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** Undefined when the file is not an image at all (judged by content). */
export async function detectImageFormat(file: string): Promise<StoredImageFormat | undefined> {
  return sniffImageFormat(await readFileHead(file, SNIFF_BYTES))
}

/**
 * Reads the displayed size of an image whose format is already known. Throws when the
 * file claims to be an image but its header cannot be decoded (a corrupt file).
 */
export async function readImageMetadata(file: string, format: StoredImageFormat): Promise<ImageMetadata> {
  if (format === 'bmp') {
    const header = readBmpHeader(await readFileHead(file, BMP_HEADER_BYTES))
    if ((await stat(file)).size < bmpPixelDataEnd(header)) throw new Error('truncated BMP pixel data')
    return { format, width: header.width, height: header.height }
  }
  const metadata = await sharp(file).metadata()
  const width = metadata.autoOrient?.width ?? metadata.width
  const height = metadata.autoOrient?.height ?? metadata.height
  if (!width || !height) throw new Error('the image has no dimensions')
  return { format, width, height }
}
