import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import type { RescanSummary, ScanSummary, SkippedImageFile } from '../../../src-shared/api/types'
import type { SqliteDatabase } from '../db/connection'
import { listKnownImageFiles, type NewImage, upsertImages } from '../db/images-repository'
import { resetImagesToNew, setImagesMissing } from '../db/image-status'
import { AppError } from '../errors'
import { describeFileSystemError, relativeForwardPath, walkFolder } from '../files/walk-folder'
import { detectImageFormat, readImageMetadata } from './image-metadata'
import { IMAGE_EXTENSIONS } from './list-image-files'

export interface ScanProgress {
  /** Files looked at so far (images or not). */
  examined: number
  total: number
}

export interface ScanOptions {
  /** How many files are decoded at once; sharp reads headers on its own thread pool. */
  concurrency?: number
  /** Rows written per transaction. */
  batchSize?: number
  signal?: AbortSignal
  onProgress?: (progress: ScanProgress) => void
  /**
   * Runs a rescan's write when its turn comes. The API passes the project's write queue, so
   * that a rescan asked while a long write runs in the write worker (an import, its undo) waits
   * for it there instead of blocking the thread on SQLite's lock. By default it runs at once.
   */
  queueWrite?: <T>(write: () => T) => Promise<T>
}

const writeAtOnce = <T>(write: () => T): Promise<T> => Promise.resolve().then(write)

/** What a scan found (the API's ScanSummary), and how many rows it inserted or refreshed. */
export interface ScanReport extends ScanSummary {
  rowsWritten: number
}

const MAX_REPORTED_SKIPS = 50

function addSkipped(report: ScanSummary, skipped: readonly SkippedImageFile[]): void {
  for (const entry of skipped) {
    report.skippedCount++
    if (report.skipped.length < MAX_REPORTED_SKIPS) report.skipped.push(entry)
  }
}

/** Forward-slash path relative to the image root, the form stored in the project. */
export function toStoredPath(root: string, file: string): string {
  return relativeForwardPath(root, file)
}

/** What listing a folder found: the files to examine, and what had to be skipped unread. */
export interface CandidateFiles {
  files: string[]
  /** Sub-folders skipped because they could not be read, with the reason (path ends in `/`). */
  unreadableFolders: SkippedImageFile[]
  /** Pipes, sockets and devices named like images: never opened, reported with what they are. */
  specialFiles: SkippedImageFile[]
}

/** A project file and SQLite's files beside it are the project's own, never images. */
const PROJECT_OWN_FILE = /\.rwproj(-wal|-shm|-journal)?$/i

/**
 * Every file under `root` that could be an image of the project, by the rules of walkFolder
 * (hidden entries and links left out). Sub-folders that cannot be read, and pipes, sockets or
 * devices named like images, come back as skipped with the reason; only the root itself must be
 * readable.
 */
export async function listCandidateFiles(root: string, signal?: AbortSignal): Promise<CandidateFiles> {
  let walk
  try {
    walk = await walkFolder(root, { signal, acceptName: (name) => !PROJECT_OWN_FILE.test(name) })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new AppError('invalid-argument', `The image folder ${root} cannot be read: ${describeFileSystemError(error)}.`)
  }
  const unreadableFolders: SkippedImageFile[] = walk.unreadableFolders.map(({ path, error }) => ({
    relativePath: `${toStoredPath(root, path)}/`,
    reason: `folder could not be read (${describeFileSystemError(error)})`,
  }))
  const specialFiles: SkippedImageFile[] = walk.specialFiles
    .filter(({ path }) => IMAGE_EXTENSIONS.has(extname(path).toLowerCase()))
    .map(({ path, kind }) => ({ relativePath: toStoredPath(root, path), reason: `is ${kind}, not a regular file; skipped without reading it` }))
  return { files: walk.files, unreadableFolders, specialFiles }
}

type Examined = { kind: 'image'; image: NewImage } | { kind: 'other' } | { kind: 'skipped'; reason: string }

async function examineFile(root: string, file: string): Promise<Examined> {
  let format
  try {
    format = await detectImageFormat(file)
  } catch (error) {
    return { kind: 'skipped', reason: `could not be read (${describe(error)})` }
  }
  if (!format) {
    // Named like an image but something else (a text file called broken.jpg): list it, so the
    // person learns why it is not in the project, rather than dropping it silently.
    if (IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) {
      return { kind: 'skipped', reason: 'is named like an image but its content is not JPEG, PNG, WebP, TIFF, GIF or BMP' }
    }
    return { kind: 'other' }
  }
  try {
    const [metadata, stats] = await Promise.all([readImageMetadata(file, format), stat(file)])
    return {
      kind: 'image',
      image: {
        relativePath: toStoredPath(root, file),
        format,
        width: metadata.width,
        height: metadata.height,
        fileSize: stats.size,
        mtimeMs: Math.trunc(stats.mtimeMs),
      },
    }
  } catch (error) {
    return { kind: 'skipped', reason: `looks like ${format.toUpperCase()} but could not be decoded (${describe(error)})` }
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]!.slice(0, 200)
}

/**
 * Adds every image under `root` to the project. Images are recognised by content; a
 * corrupt file is skipped and reported, never fatal. Rows are written in batches, each
 * batch one transaction, so an interrupted scan keeps what it wrote.
 */
export async function scanImageFolder(db: SqliteDatabase, root: string, options: ScanOptions = {}): Promise<ScanReport> {
  const concurrency = options.concurrency ?? 4
  const batchSize = options.batchSize ?? 250
  const { files, unreadableFolders, specialFiles } = await listCandidateFiles(root, options.signal)
  const report: ScanReport = { imageCount: 0, rowsWritten: 0, skippedCount: 0, skipped: [] }
  addSkipped(report, [...unreadableFolders, ...specialFiles])
  const addedAt = new Date().toISOString()
  let batch: NewImage[] = []
  let examined = 0
  let next = 0

  const flush = () => {
    if (batch.length === 0) return
    report.rowsWritten += upsertImages(db, batch, addedAt)
    batch = []
  }

  const worker = async () => {
    while (next < files.length) {
      options.signal?.throwIfAborted()
      const file = files[next++]!
      const result = await examineFile(root, file)
      if (result.kind === 'image') {
        report.imageCount++
        batch.push(result.image)
        if (batch.length >= batchSize) flush()
      } else if (result.kind === 'skipped') {
        addSkipped(report, [{ relativePath: toStoredPath(root, file), reason: result.reason }])
      }
      examined++
      options.onProgress?.({ examined, total: files.length })
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker))
  } finally {
    // Keep what was read even when cancelled or when a write failed midway.
    flush()
  }
  report.skipped.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1))
  return report
}

/**
 * Brings an existing project up to date with its image folder. Files whose size and
 * modification time match the project are not decoded again, so a rescan of an unchanged
 * folder costs one `stat` per file. New files are added, changed ones are re-read and go back
 * to status `new` (their old results no longer describe the file), and images whose file is
 * gone are marked missing: nothing about them is deleted, so labels survive a moved drive.
 */
export async function rescanImageFolder(db: SqliteDatabase, root: string, options: ScanOptions = {}): Promise<RescanSummary> {
  const concurrency = options.concurrency ?? 4
  const { files, unreadableFolders, specialFiles } = await listCandidateFiles(root, options.signal)
  const known = listKnownImageFiles(db)

  const report: RescanSummary = {
    imageCount: 0,
    changedCount: 0,
    skippedCount: 0,
    skipped: [],
    addedCount: 0,
    missingCount: 0,
    reappearedCount: 0,
  }
  addSkipped(report, [...unreadableFolders, ...specialFiles])
  const seen = new Set<string>()
  // Images inside a folder that could not be read this time are not known to be gone.
  for (const path of known.keys()) {
    if (unreadableFolders.some((folder) => path.startsWith(folder.relativePath))) seen.add(path)
  }
  const added: NewImage[] = []
  const changed: Array<{ id: number; image: NewImage }> = []
  const reappeared: number[] = []
  let examined = 0
  let next = 0

  const check = async (file: string) => {
    const relativePath = toStoredPath(root, file)
    const existing = known.get(relativePath)
    if (existing) {
      let stats
      try {
        stats = await stat(file)
      } catch {
        return // Deleted while the folder was being listed: left unseen, so marked missing.
      }
      if (stats.size === existing.fileSize && Math.trunc(stats.mtimeMs) === existing.mtimeMs) {
        seen.add(relativePath)
        report.imageCount++
        if (existing.missing) reappeared.push(existing.id)
        return
      }
    }
    let result = await examineFile(root, file)
    if (result.kind === 'other' && existing) result = { kind: 'skipped', reason: 'is no longer a recognisable image' }
    if (result.kind === 'image') {
      seen.add(relativePath)
      report.imageCount++
      if (!existing) added.push(result.image)
      else {
        changed.push({ id: existing.id, image: result.image })
        if (existing.missing) reappeared.push(existing.id)
      }
    } else if (result.kind === 'skipped') {
      // A known image that can no longer be decoded is still there: the next run reports it as an error.
      if (existing) seen.add(relativePath)
      addSkipped(report, [{ relativePath, reason: result.reason }])
    }
  }

  const worker = async () => {
    while (next < files.length) {
      options.signal?.throwIfAborted()
      await check(files[next++]!)
      examined++
      options.onProgress?.({ examined, total: files.length })
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker))

  // A known image whose file is gone is missing; one whose file is there but unreadable is not.
  const gone = [...known].filter(([path, image]) => !seen.has(path) && !image.missing).map(([, image]) => image.id)
  const queueWrite = options.queueWrite ?? writeAtOnce
  await queueWrite(() => {
    // A rescan cancelled (or whose project closed) while it waited for its turn writes nothing.
    options.signal?.throwIfAborted()
    writeRescan(db, report, { added, changed, gone, reappeared })
  })
  report.skipped.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1))
  return report
}

/** What a rescan found to write, by what happened to each image. */
interface RescanChanges {
  added: NewImage[]
  changed: Array<{ id: number; image: NewImage }>
  gone: number[]
  reappeared: number[]
}

/** Writes a rescan's findings in one transaction, counting them into `report`. */
function writeRescan(db: SqliteDatabase, report: RescanSummary, { added, changed, gone, reappeared }: RescanChanges): void {
  const now = new Date().toISOString()
  db.transaction(() => {
    report.addedCount = upsertImages(db, added, now)
    upsertImages(
      db,
      changed.map(({ image }) => image),
      now,
    )
    resetImagesToNew(
      db,
      changed.map(({ id }) => id),
    )
    report.changedCount = changed.length
    report.missingCount = setImagesMissing(db, gone, true)
    report.reappearedCount = setImagesMissing(db, reappeared, false)
  })()
}
