/**
 * One image file to one graph input: decode (sharp, EXIF-oriented) and prepare (resize,
 * normalize, pad). Runs on the detector's own thread or in a preparation worker
 * (prepare-worker.ts); both give the same bytes.
 */
import { decodeImageFile, ImageDecodeError } from '../images/decode-image'
import { toFloat16 } from './float16'
import { inputFrameFor, prepareImage } from './preprocess'
import type { TensorBuffers } from './tensor-buffers'
import type { InputConfig, InputPrecision, PreparedInput } from './types'

/** A decoded and prepared image, or why it could not be. */
export type Prepared = { path: string; ok: true; input: PreparedInput } | { path: string; ok: false; error: string }

/** `buffers`: tensors of earlier images to fill instead of allocating (see tensor-buffers.ts). */
export async function prepareFile(
  path: string,
  input: InputConfig,
  maxPixels: number,
  buffers?: TensorBuffers,
  precision: InputPrecision = 'float32',
): Promise<Prepared> {
  try {
    const image = await decodeImageFile(path, { maxPixels })
    const frame = inputFrameFor(image.width, image.height, input)
    const recycled = buffers?.take(3 * frame.paddedWidth * frame.paddedHeight)
    const prepared = prepareImage(image, input, recycled)
    if (precision === 'float16') prepared.float16 = toFloat16(prepared.data)
    return { path, ok: true, input: prepared }
  } catch (error) {
    // The result carries the path already; the message need not repeat the file name.
    return { path, ok: false, error: error instanceof ImageDecodeError ? error.detail : messageOf(error) }
  }
}

export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split('\n')[0] ?? '').trim()
}
