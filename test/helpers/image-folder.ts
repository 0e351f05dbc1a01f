import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'

/**
 * Generates a deterministic folder of small real images for tests: several formats, a
 * nested subfolder, EXIF-rotated JPEGs whose displayed size differs from the stored one,
 * plus files a scan must ignore (hidden, non-image) and, on request, a corrupt image.
 */

export type GeneratedFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'bmp'

export interface GeneratedImage {
  /** Forward-slash path relative to the folder root, as the project stores it. */
  relativePath: string
  absolutePath: string
  format: GeneratedFormat
  /** Pixel size as stored in the file. */
  storedWidth: number
  storedHeight: number
  /** EXIF orientation written into the file (1 when none). */
  orientation: number
  /** Size as displayed, i.e. after EXIF orientation (what the app must report). */
  width: number
  height: number
}

export interface ImageFolderOptions {
  /** Add this many extra tiny PNGs under `many/` (for paging tests). Default 0. */
  extraImages?: number
  /** Add `broken.jpg`, a file with a JPEG name and magic bytes but truncated data. Default false. */
  includeCorrupt?: boolean
}

export interface GeneratedImageFolder {
  root: string
  /** Every readable image a scan must find, sorted by relativePath. */
  images: GeneratedImage[]
  /** Files a scan must skip silently: hidden files, files inside hidden folders, non-images. */
  ignoredFiles: string[]
  /** Files that look like images but cannot be decoded (a scan skips and counts them). */
  corruptFiles: string[]
}

interface ImageSpec {
  relativePath: string
  format: GeneratedFormat
  width: number
  height: number
  orientation?: number
}

const baseSpecs: ImageSpec[] = [
  { relativePath: 'alpha.jpg', format: 'jpeg', width: 64, height: 48 },
  { relativePath: 'beta.png', format: 'png', width: 40, height: 30 },
  { relativePath: 'gamma.webp', format: 'webp', width: 36, height: 20 },
  { relativePath: 'delta.tiff', format: 'tiff', width: 30, height: 18 },
  { relativePath: 'epsilon.gif', format: 'gif', width: 24, height: 16 },
  { relativePath: 'zeta.bmp', format: 'bmp', width: 22, height: 14 },
  { relativePath: 'nested/deeper/eta.jpg', format: 'jpeg', width: 50, height: 26 },
  { relativePath: 'nested/theta.png', format: 'png', width: 28, height: 28 },
  // Stored landscape, displayed portrait: orientation 6 (rotate 90° CW) and 8 (90° CCW).
  { relativePath: 'rotated/portrait-six.jpg', format: 'jpeg', width: 60, height: 20, orientation: 6 },
  { relativePath: 'rotated/portrait-eight.jpg', format: 'jpeg', width: 44, height: 12, orientation: 8 },
  // A misleading extension: the scan recognises images by content, not by name.
  { relativePath: 'misnamed.dat', format: 'png', width: 12, height: 10 },
]

/** A colour that differs per image so thumbnails and images are distinguishable. */
function colourFor(index: number): { r: number; g: number; b: number } {
  return { r: (index * 53) % 256, g: (index * 97 + 40) % 256, b: (index * 151 + 80) % 256 }
}

/** Minimal uncompressed 24-bit BMP; sharp cannot write BMP. */
export function encodeBmp(width: number, height: number, rgb: { r: number; g: number; b: number }): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4
  const pixelBytes = rowBytes * height
  const buffer = Buffer.alloc(54 + pixelBytes)
  buffer.write('BM', 0, 'ascii')
  buffer.writeUInt32LE(54 + pixelBytes, 2)
  buffer.writeUInt32LE(54, 10)
  buffer.writeUInt32LE(40, 14)
  buffer.writeInt32LE(width, 18)
  buffer.writeInt32LE(height, 22)
  buffer.writeUInt16LE(1, 26)
  buffer.writeUInt16LE(24, 28)
  buffer.writeUInt32LE(pixelBytes, 34)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = 54 + y * rowBytes + x * 3
      // A diagonal stripe so the image is not a flat colour.
      const stripe = (x + y) % 8 < 4 ? 0 : 60
      buffer[offset] = Math.min(255, rgb.b + stripe)
      buffer[offset + 1] = Math.min(255, rgb.g + stripe)
      buffer[offset + 2] = Math.min(255, rgb.r + stripe)
    }
  }
  return buffer
}

async function encodeImage(spec: ImageSpec, index: number): Promise<Buffer> {
  const colour = colourFor(index)
  if (spec.format === 'bmp') return encodeBmp(spec.width, spec.height, colour)
  let image = sharp({ create: { width: spec.width, height: spec.height, channels: 3, background: colour } })
  if (spec.orientation) image = image.withMetadata({ orientation: spec.orientation })
  switch (spec.format) {
    case 'jpeg':
      return image.jpeg({ quality: 90 }).toBuffer()
    case 'png':
      return image.png().toBuffer()
    case 'webp':
      return image.webp().toBuffer()
    case 'tiff':
      return image.tiff().toBuffer()
    case 'gif':
      return image.gif().toBuffer()
  }
}

function displayedSize(spec: ImageSpec): { width: number; height: number } {
  const swaps = spec.orientation !== undefined && spec.orientation >= 5 && spec.orientation <= 8
  return swaps ? { width: spec.height, height: spec.width } : { width: spec.width, height: spec.height }
}

async function writeAt(root: string, relativePath: string, data: Buffer | string): Promise<string> {
  const absolutePath = join(root, ...relativePath.split('/'))
  await mkdir(dirname(absolutePath), { recursive: true })
  await writeFile(absolutePath, data)
  return absolutePath
}

/** Distinct colours for the extra images; encoded once and reused so big folders are quick to make. */
const EXTRA_PALETTE_SIZE = 64
const EXTRA_WIDTH = 8
const EXTRA_HEIGHT = 6

async function writeExtraImages(root: string, count: number): Promise<GeneratedImage[]> {
  const palette = await Promise.all(
    Array.from({ length: Math.min(count, EXTRA_PALETTE_SIZE) }, (_, index) =>
      sharp({ create: { width: EXTRA_WIDTH, height: EXTRA_HEIGHT, channels: 3, background: colourFor(index + 100) } })
        .png()
        .toBuffer(),
    ),
  )
  const images: GeneratedImage[] = []
  const batchSize = 64
  for (let start = 0; start < count; start += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, count - start) }, (_, offset) => start + offset)
    images.push(
      ...(await Promise.all(
        batch.map(async (index) => {
          const relativePath = `many/img-${String(index).padStart(5, '0')}.png`
          const absolutePath = await writeAt(root, relativePath, palette[index % palette.length]!)
          return {
            relativePath,
            absolutePath,
            format: 'png' as const,
            storedWidth: EXTRA_WIDTH,
            storedHeight: EXTRA_HEIGHT,
            orientation: 1,
            width: EXTRA_WIDTH,
            height: EXTRA_HEIGHT,
          }
        }),
      )),
    )
  }
  return images
}

export async function createImageFolder(
  root: string,
  options: ImageFolderOptions = {},
): Promise<GeneratedImageFolder> {
  const images: GeneratedImage[] = []
  for (const [index, spec] of baseSpecs.entries()) {
    const absolutePath = await writeAt(root, spec.relativePath, await encodeImage(spec, index))
    images.push({
      relativePath: spec.relativePath,
      absolutePath,
      format: spec.format,
      storedWidth: spec.width,
      storedHeight: spec.height,
      orientation: spec.orientation ?? 1,
      ...displayedSize(spec),
    })
  }
  images.push(...(await writeExtraImages(root, options.extraImages ?? 0)))

  const realPng = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#808080' } }).png().toBuffer()
  const ignoredFiles = [
    await writeAt(root, '.hidden.png', realPng),
    await writeAt(root, '.cache/inside-hidden-folder.png', realPng),
    await writeAt(root, 'notes.txt', 'not an image\n'),
    await writeAt(root, 'nested/readme.md', '# not an image\n'),
  ]

  const corruptFiles: string[] = []
  if (options.includeCorrupt) {
    // Valid JPEG start-of-image marker and the first bytes of a real JPEG, then cut off.
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#336699' } }).jpeg().toBuffer()
    corruptFiles.push(await writeAt(root, 'broken.jpg', Buffer.concat([jpeg.subarray(0, 20), Buffer.alloc(30, 0xff)])))
  }

  images.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0))
  return { root, images, ignoredFiles, corruptFiles }
}
