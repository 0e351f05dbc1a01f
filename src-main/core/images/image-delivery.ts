import type { ImageRecord } from '../db/images-repository'
import { contentTypeOf, isBrowserDisplayable } from './image-format'
import { openOrientedImage } from './thumbnails'

/** What a transport sends for an image: a file to stream, or bytes converted for display. */
export type ImagePayload =
  | { kind: 'file'; path: string; contentType: string }
  | { kind: 'buffer'; data: Buffer; contentType: string }

/**
 * The full image for the renderer. Browsers apply EXIF orientation themselves, so
 * displayable formats are sent byte for byte; TIFF, which browsers cannot show, is
 * converted to PNG with the orientation applied.
 */
export async function prepareImagePayload(absolutePath: string, image: ImageRecord): Promise<ImagePayload> {
  if (isBrowserDisplayable(image.format)) {
    return { kind: 'file', path: absolutePath, contentType: contentTypeOf(image.format) }
  }
  const converted = await (await openOrientedImage(absolutePath, image.format)).png().toBuffer()
  return { kind: 'buffer', data: converted, contentType: 'image/png' }
}
