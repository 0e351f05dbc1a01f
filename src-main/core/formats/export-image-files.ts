/**
 * The image files of an export: copied (upright when the file carries an EXIF orientation, so
 * every reader sees the pixels the boxes were drawn on), linked, or left where they are.
 */
import { constants } from 'node:fs'
import { copyFile, symlink } from 'node:fs/promises'
import sharp from 'sharp'
import type { StoredImageFormat } from '../db/images-repository'

/** Formats that can carry an EXIF orientation tag (BMP and GIF cannot). */
const ORIENTABLE: ReadonlySet<StoredImageFormat> = new Set(['jpeg', 'tiff', 'webp', 'png'])

/** The EXIF orientation of the file (1 when it has none). */
export async function readOrientation(file: string, format: StoredImageFormat): Promise<number> {
  if (!ORIENTABLE.has(format)) return 1
  return (await sharp(file).metadata()).orientation ?? 1
}

export interface ProvidedImage {
  /** The file's EXIF orientation (1 when none). */
  orientation: number
  /** Written upright with the tag removed (copies only). */
  rotated: boolean
}

/**
 * Puts the image at `destination`, whose folder the caller has made (never recursively here:
 * that would recreate an export folder that was moved or removed); throws when the source
 * cannot be read or the destination written.
 */
export async function provideImageFile(mode: 'copy' | 'link', source: string, format: StoredImageFormat, destination: string): Promise<ProvidedImage> {
  const orientation = await readOrientation(source, format)
  if (mode === 'link') {
    await symlink(source, destination)
    return { orientation, rotated: false }
  }
  if (orientation !== 1 && format !== 'bmp') {
    // autoOrient() turns the pixels upright; sharp writes no metadata unless asked, so the tag goes.
    await sharp(source).autoOrient().toFormat(format === 'jpeg' ? 'jpeg' : format, format === 'jpeg' ? { quality: 95 } : {}).toFile(destination)
    return { orientation, rotated: true }
  }
  await copyFile(source, destination, constants.COPYFILE_FICLONE)
  return { orientation, rotated: false }
}
