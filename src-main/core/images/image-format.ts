import type { StoredImageFormat } from '../db/images-repository'

/** How many leading bytes `sniffImageFormat` needs. */
export const SNIFF_BYTES = 16

/**
 * Recognises an image by its leading bytes, never by its file name: a `.jpg` that is
 * really text is not an image, and a PNG named `.dat` is one.
 */
export function sniffImageFormat(head: Uint8Array): StoredImageFormat | undefined {
  const startsWith = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte)
  const ascii = (start: number, text: string) =>
    [...text].every((char, index) => head[start + index] === char.charCodeAt(0))

  if (startsWith(0xff, 0xd8, 0xff)) return 'jpeg'
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp'
  if (startsWith(0x49, 0x49, 0x2a, 0x00) || startsWith(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff'
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif'
  if (ascii(0, 'BM') && head.length >= 14) return 'bmp'
  return undefined
}

const contentTypes: Record<StoredImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
  gif: 'image/gif',
  bmp: 'image/bmp',
}

/** False for a format string no scan writes (a hand-edited project file): such rows are not served. */
export function isStoredImageFormat(format: string): format is StoredImageFormat {
  return Object.hasOwn(contentTypes, format)
}

export function contentTypeOf(format: StoredImageFormat): string {
  return contentTypes[format]
}

/** Formats every browser engine (and so the renderer) can show as they are stored. */
export function isBrowserDisplayable(format: StoredImageFormat): boolean {
  return format !== 'tiff'
}
