import type { ImageSummary } from '@shared/api/types'
import type { SqliteDatabase } from './connection'

export type StoredImageFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'bmp'

export interface ImageRecord extends ImageSummary {
  format: StoredImageFormat
}

export interface NewImage {
  relativePath: string
  format: StoredImageFormat
  width: number
  height: number
  fileSize: number
  mtimeMs: number
}

/** An `images` row as SQLite returns it; other queries extend it with their own columns. */
export interface ImageRow {
  id: number
  path: string
  format: StoredImageFormat
  width: number
  height: number
  file_size: number
  mtime_ms: number
}

const imageColumns = 'id, path, format, width, height, file_size, mtime_ms'

export function toRecord(row: ImageRow): ImageRecord {
  return {
    id: row.id,
    relativePath: row.path,
    format: row.format,
    width: row.width,
    height: row.height,
    fileSize: row.file_size,
    mtimeMs: row.mtime_ms,
  }
}

export function toImageSummary(record: ImageRecord): ImageSummary {
  const { format: _format, ...summary } = record
  return summary
}

/**
 * Inserts images, or refreshes size/mtime of ones already known by path (a rescan after
 * files changed). Ids of known images never change, because later data refers to them.
 * Returns how many rows were inserted or changed.
 */
export function upsertImages(db: SqliteDatabase, images: readonly NewImage[], addedAt: string): number {
  const statement = db.prepare(
    `INSERT INTO images (path, format, width, height, file_size, mtime_ms, added_at)
     VALUES (@relativePath, @format, @width, @height, @fileSize, @mtimeMs, @addedAt)
     ON CONFLICT (path) DO UPDATE SET
       format = excluded.format, width = excluded.width, height = excluded.height,
       file_size = excluded.file_size, mtime_ms = excluded.mtime_ms
     WHERE images.file_size <> excluded.file_size OR images.mtime_ms <> excluded.mtime_ms
        OR images.width <> excluded.width OR images.height <> excluded.height`,
  )
  return db.transaction(() => {
    let changes = 0
    for (const image of images) changes += statement.run({ ...image, addedAt }).changes
    return changes
  })()
}

export function countImages(db: SqliteDatabase): number {
  return (db.prepare('SELECT count(*) AS total FROM images').get() as { total: number }).total
}

export function listImages(db: SqliteDatabase, offset: number, limit: number): ImageRecord[] {
  const rows = db
    .prepare(`SELECT ${imageColumns} FROM images ORDER BY path LIMIT ? OFFSET ?`)
    .all(limit, offset) as ImageRow[]
  return rows.map(toRecord)
}

export function findImage(db: SqliteDatabase, id: number): ImageRecord | undefined {
  const row = db.prepare(`SELECT ${imageColumns} FROM images WHERE id = ?`).get(id) as ImageRow | undefined
  return row ? toRecord(row) : undefined
}

export function findImageByPath(db: SqliteDatabase, relativePath: string): ImageRecord | undefined {
  const row = db.prepare(`SELECT ${imageColumns} FROM images WHERE path = ?`).get(relativePath) as
    | ImageRow
    | undefined
  return row ? toRecord(row) : undefined
}

/** What a rescan compares each file with: the size and mtime stored for it, and whether it was missing. */
export interface KnownImageFile {
  id: number
  fileSize: number
  mtimeMs: number
  missing: boolean
}

/** Every image's stored file facts, by its stored path. */
export function listKnownImageFiles(db: SqliteDatabase): Map<string, KnownImageFile> {
  const rows = db.prepare('SELECT id, path, file_size, mtime_ms, missing FROM images').all() as Array<{
    id: number
    path: string
    file_size: number
    mtime_ms: number
    missing: number
  }>
  return new Map(rows.map((row) => [row.path, { id: row.id, fileSize: row.file_size, mtimeMs: row.mtime_ms, missing: row.missing === 1 }]))
}
