import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import type { StoredImageFormat } from '../db/images-repository'
import { ConcurrencyLimit } from '../concurrency-limit'
import { isProjectUuid } from '../project-uuid'
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

  pathFor(source: Pick<ThumbnailSource, 'projectUuid' | 'imageId' | 'mtimeMs'>): string {
    return join(this.projectFolder(source.projectUuid), `${source.imageId}-${Math.trunc(source.mtimeMs)}.jpg`)
  }

  /**
   * The project's cache folder. The uuid comes from the project file, which anyone may have
   * edited: only the uuid form is accepted, so the path can never leave the cache root.
   */
  private projectFolder(projectUuid: string): string {
    if (!isProjectUuid(projectUuid)) throw new Error(`${JSON.stringify(projectUuid.slice(0, 60))} is not a project uuid.`)
    return join(this.cacheRoot, projectUuid.toLowerCase())
  }

  /** Absolute path of the cached thumbnail, generating it first when needed. */
  get(source: ThumbnailSource): Promise<string> {
    let target: string
    try {
      target = this.pathFor(source)
    } catch (error) {
      return Promise.reject(error as Error)
    }
    const running = this.inFlight.get(target)
    if (running) return running
    const generation = this.ensure(source, target).finally(() => this.inFlight.delete(target))
    this.inFlight.set(target, generation)
    return generation
  }

  /**
   * The cached thumbnail of this image version, if there is one; needs no access to the image
   * itself, so a project whose image went missing still shows what it looked like.
   */
  async findCached(source: Pick<ThumbnailSource, 'projectUuid' | 'imageId' | 'mtimeMs'>): Promise<string | undefined> {
    const target = this.pathFor(source)
    try {
      return (await stat(target)).isFile() ? target : undefined
    } catch {
      return undefined
    }
  }

  /** How many generations are running now (exposed for tests of de-duplication). */
  get pendingCount(): number {
    return this.inFlight.size
  }

  /** Drops every cached thumbnail of a project. */
  async clearProject(projectUuid: string): Promise<void> {
    await rm(this.projectFolder(projectUuid), { recursive: true, force: true })
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
    await mkdir(this.projectFolder(source.projectUuid), { recursive: true })
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
