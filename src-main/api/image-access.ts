import { createHash } from 'node:crypto'
import { imageVersion } from '@shared/api/wire'
import { findImage } from '../core/db/images-repository'
import { type ImagePayload, prepareImagePayload } from '../core/images/image-delivery'
import { isStoredImageFormat } from '../core/images/image-format'
import { RefusedImageError, resolveServableImage } from '../core/projects/project-paths'
import type { ApiContext } from './api-context'

export type ImageVariant = 'image' | 'thumbnail'

export type ImageAccessResult =
  | (ImagePayload & { etag: string })
  /** `reason` is set when the project file asked for something that is refused (for the log). */
  | { kind: 'not-found'; reason?: string }

const NOT_FOUND = { kind: 'not-found' } as const

/**
 * Parses the id segment of an image URL. Only a plain positive integer is accepted, so no
 * path, `..` or encoded trick can ever reach the file system.
 */
export function parseImageId(segment: string): number | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(segment)) return undefined
  const id = Number(segment)
  return Number.isSafeInteger(id) ? id : undefined
}

/**
 * A header-safe validator: the project file's values (uuid, mtime) go through a hash, so no
 * character from a hand-edited file can reach a response header.
 */
function entityTag(parts: readonly (string | number)[]): string {
  return `"${createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 32)}"`
}

/**
 * Looks an image up by id in the open project only and returns what to send. Used by both
 * the HTTP routes and the Electron image protocol, so both enforce the same rules: ids of
 * other projects or of nothing are simply not found, and only files whose real path (links
 * resolved) lies inside the real image folder are ever read.
 */
export async function accessProjectImage(
  context: ApiContext,
  variant: ImageVariant,
  idSegment: string,
  /**
   * The URL's `v` (see imageVersion); when given, it must name the open project and the
   * image's current version, so a URL never shows another project's or version's bytes.
   */
  version: string | null = null,
): Promise<ImageAccessResult> {
  const project = context.projects.current
  const imageId = parseImageId(idSegment)
  if (!project || imageId === undefined) return NOT_FOUND
  const image = findImage(project.db, imageId)
  if (!image) return NOT_FOUND
  if (version !== null && version !== imageVersion({ projectUuid: project.record.uuid, ...image })) return NOT_FOUND
  if (!isStoredImageFormat(image.format)) {
    return { kind: 'not-found', reason: `its stored format ${JSON.stringify(String(image.format).slice(0, 40))} is not an image format` }
  }
  // Ids restart at 1 in every project, so the project uuid is part of the cache key.
  const etag = entityTag([project.record.uuid, variant, image.id, Math.trunc(image.mtimeMs)])
  try {
    if (variant === 'thumbnail') {
      const version = { projectUuid: project.record.uuid, imageId: image.id, mtimeMs: image.mtimeMs }
      // Made earlier from a checked path; still shown when the image has gone missing since.
      const cached = await context.thumbnails.findCached(version)
      if (cached) return { kind: 'file', path: cached, contentType: 'image/jpeg', etag }
    }
    const servable = await resolveServableImage(project.imageRoot, image.relativePath)
    if (variant === 'thumbnail') {
      const path = await context.thumbnails.get({
        projectUuid: project.record.uuid,
        imageId: image.id,
        absolutePath: servable.path,
        format: servable.format,
        mtimeMs: image.mtimeMs,
      })
      return { kind: 'file', path, contentType: 'image/jpeg', etag }
    }
    return { ...(await prepareImagePayload(servable.path, { ...image, format: servable.format })), etag }
  } catch (error) {
    if (error instanceof RefusedImageError) return { kind: 'not-found', reason: error.message }
    const code = (error as { code?: unknown }).code
    // The file was moved or deleted since the scan.
    if (code === 'ENOENT' || code === 'ENOTDIR') return NOT_FOUND
    throw error
  }
}
