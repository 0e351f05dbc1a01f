import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import type { StoredImageFormat } from '../db/images-repository'
import { ConcurrencyLimit } from '../concurrency-limit'
import { decodeBmp } from './bmp'

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 256

export interface ThumbnailSource {
  projectUuid: string
  imageId: number
  absolutePath: string
  format: StoredImageFormat
  mtimeMs: number
}

/**
 * Opens an image in sharp with EXIF orientation applied, including BMPs, which sharp
 * cannot decode itself.
 */
export async function openOrientedImage(absolutePath: string, format: StoredImageFormat): Promise<Sharp> {
  if (format === 'bmp') {
    const { width, height, rgb } = decodeBmp(await readFile(absolutePath))
    return sharp(rgb, { raw: { width, height, channels: 3 } })
  }
  return sharp(absolutePath).autoOrient()
}

/**
 * JPEG thumbnails cached on disk outside the project file (so the `.rwproj` stays small),
 * one folder per project uuid; the file name includes the image's mtime, so an edited
 * image gets a fresh thumbnail. Generated on first request; concurrent requests for the
 * same thumbnail share one generation.
 */
export class ThumbnailCache {
  private readonly inFlight = new Map<string, Promise<string>>()
  private readonly limit: ConcurrencyLimit

  /**
   * @param maxConcurrent generations decoding at once; a grid asks for a hundred
   *   thumbnails together, and decoding them all at once would spike memory.
   */
  constructor(
    private readonly cacheRoot: string,
    maxConcurrent = 4,
  ) {
    this.limit = new ConcurrencyLimit(maxConcurrent)
  }

  pathFor(source: ThumbnailSource): string {
    return join(this.cacheRoot, source.projectUuid, `${source.imageId}-${Math.trunc(source.mtimeMs)}.jpg`)
  }

  /** Absolute path of the cached thumbnail, generating it first when needed. */
  get(source: ThumbnailSource): Promise<string> {
    const target = this.pathFor(source)
    const running = this.inFlight.get(target)
    if (running) return running
    const generation = this.ensure(source, target).finally(() => this.inFlight.delete(target))
    this.inFlight.set(target, generation)
    return generation
  }

  /** How many generations are running now (exposed for tests of de-duplication). */
  get pendingCount(): number {
    return this.inFlight.size
  }

  /** Drops every cached thumbnail of a project. */
  async clearProject(projectUuid: string): Promise<void> {
    await rm(join(this.cacheRoot, projectUuid), { recursive: true, force: true })
  }

  private async ensure(source: ThumbnailSource, target: string): Promise<string> {
    try {
      await stat(target)
      return target
    } catch {
      // Not cached yet.
    }
    return this.limit.run(() => this.generate(source, target))
  }

  private async generate(source: ThumbnailSource, target: string): Promise<string> {
    await mkdir(join(this.cacheRoot, source.projectUuid), { recursive: true })
    const image = await openOrientedImage(source.absolutePath, source.format)
    // Write beside the target and rename, so a reader never sees a half-written file.
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`
    try {
      await image
        .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 80 })
        .toFile(temporary)
      await rename(temporary, target)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
    return target
  }
}
