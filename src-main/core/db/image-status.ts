import { AppError } from '../errors'
import type { SqliteDatabase } from './connection'

/**
 * `new`: no run has processed the image; `detected`: a run finished it; `reviewed`: a
 * person has checked its labels; `error`: the last run could not process it (see the message).
 */
export type ImageStatus = 'new' | 'detected' | 'reviewed' | 'error'

export const imageStatuses: readonly ImageStatus[] = ['new', 'detected', 'reviewed', 'error']

export interface ImageState {
  status: ImageStatus
  errorMessage: string | null
  /** The file was not found by the last rescan; its labels and results are kept. */
  missing: boolean
}

export function getImageState(db: SqliteDatabase, imageId: number): ImageState | undefined {
  const row = db.prepare('SELECT status, error_message, missing FROM images WHERE id = ?').get(imageId) as
    | { status: ImageStatus; error_message: string | null; missing: number }
    | undefined
  return row ? { status: row.status, errorMessage: row.error_message, missing: row.missing === 1 } : undefined
}

/**
 * Marks an image reviewed by a person, or takes the mark back. Taking it back restores what
 * the runs say: the newest run's result (detected or error), or `new` when no run has
 * processed the image.
 */
export function setImageReviewed(db: SqliteDatabase, imageId: number, reviewed: boolean, now: string): ImageState {
  return db.transaction(() => {
    const current = getImageState(db, imageId)
    if (!current) throw new AppError('not-found', `This project has no image with id ${imageId}.`)
    let status: ImageStatus = 'reviewed'
    let errorMessage: string | null = null
    if (!reviewed) {
      const latest = db
        .prepare('SELECT state, error_message FROM run_images WHERE image_id = ? ORDER BY run_id DESC LIMIT 1')
        .get(imageId) as { state: 'done' | 'error'; error_message: string | null } | undefined
      status = latest === undefined ? 'new' : latest.state === 'done' ? 'detected' : 'error'
      errorMessage = latest?.error_message ?? null
    }
    if (reviewed && current.status === 'reviewed') return current // keep the first review's time
    const result = db
      .prepare('UPDATE images SET status = ?, error_message = ?, reviewed_at = ? WHERE id = ?')
      .run(status, errorMessage, reviewed ? now : null, imageId)
    if (result.changes !== 1) throw new Error(`The status of image ${imageId} was not written.`)
    return { ...current, status, errorMessage }
  })()
}

/** Sets or clears the missing flag of the given images (a rescan). Returns how many changed. */
export function setImagesMissing(db: SqliteDatabase, imageIds: readonly number[], missing: boolean): number {
  const update = db.prepare('UPDATE images SET missing = ? WHERE id = ? AND missing <> ?')
  const flag = missing ? 1 : 0
  return db.transaction(() => {
    let changed = 0
    for (const id of imageIds) changed += update.run(flag, id, flag).changes
    return changed
  })()
}

/** Sends images whose file changed back to `new`: their old results no longer describe the file. */
export function resetImagesToNew(db: SqliteDatabase, imageIds: readonly number[]): void {
  const reset = db.prepare(`UPDATE images SET status = 'new', error_message = NULL WHERE id = ?`)
  db.transaction(() => {
    for (const id of imageIds) reset.run(id)
  })()
}
