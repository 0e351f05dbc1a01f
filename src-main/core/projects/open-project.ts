import type { ProjectSummary } from '@shared/api/types'
import type { SqliteDatabase } from '../db/connection'
import { countImages, findImage, type ImageRecord } from '../db/images-repository'
import type { ProjectRecord } from '../db/project-repository'
import { AppError } from '../errors'
import { resolveImagePath } from './project-paths'

/** A project whose database is open in this process. */
export class OpenProject {
  constructor(
    readonly file: string,
    readonly db: SqliteDatabase,
    readonly record: ProjectRecord,
    /** Absolute image root, resolved from the stored relative one. */
    readonly imageRoot: string,
  ) {}

  summary(): ProjectSummary {
    return {
      file: this.file,
      uuid: this.record.uuid,
      name: this.record.name,
      imageRoot: this.imageRoot,
      imageCount: countImages(this.db),
      createdAt: this.record.createdAt,
    }
  }

  /** The image with this id in this project, or a `not-found` error. */
  requireImage(imageId: number): ImageRecord {
    const image = findImage(this.db, imageId)
    if (!image) throw new AppError('not-found', `This project has no image with id ${imageId}.`)
    return image
  }

  absolutePathOf(image: ImageRecord): string {
    return resolveImagePath(this.imageRoot, image.relativePath)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
