import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { countImages, listImages } from '../../../src-main/core/db/images-repository'
import { migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { type ScanReport, scanImageFolder } from '../../../src-main/core/images/scan'
import { createImageFolder, type GeneratedImageFolder } from '../../helpers/image-folder'

let folder: string
let generated: GeneratedImageFolder
let db: SqliteDatabase
let report: ScanReport
const progress: Array<{ examined: number; total: number }> = []

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-scan-'))
  generated = await createImageFolder(join(folder, 'images'), { includeCorrupt: true, extraImages: 30 })
  db = openDatabase(join(folder, 'scan.rwproj'), { mustExist: false })
  migrate(db, projectMigrations)
  // A small batch size so the test crosses several transactions.
  report = await scanImageFolder(db, generated.root, { batchSize: 7, onProgress: (p) => progress.push(p) })
})

afterAll(async () => {
  db.close()
  await rm(folder, { recursive: true, force: true })
})

describe('scanImageFolder', () => {
  it('finds exactly the readable images, recursively, with forward-slash relative paths', () => {
    const stored = listImages(db, 0, 1000).map((image) => image.relativePath)
    expect(stored).toEqual(generated.images.map((image) => image.relativePath))
    expect(report.imageCount).toBe(generated.images.length)
    expect(stored).toContain('nested/deeper/eta.jpg')
  })

  it('skips hidden files, hidden folders and non-images silently', () => {
    const stored = listImages(db, 0, 1000).map((image) => image.relativePath)
    expect(stored.some((path) => path.includes('.hidden') || path.startsWith('.cache'))).toBe(false)
    expect(stored).not.toContain('notes.txt')
    expect(stored).not.toContain('nested/readme.md')
  })

  it('recognises images by content, not by file name', () => {
    const misnamed = listImages(db, 0, 1000).find((image) => image.relativePath === 'misnamed.dat')
    expect(misnamed).toMatchObject({ format: 'png', width: 12, height: 10 })
  })

  it('skips and counts a corrupt image without aborting', () => {
    expect(report.skippedCount).toBe(1)
    expect(report.skipped).toEqual([{ relativePath: 'broken.jpg', reason: expect.stringContaining('JPEG') }])
  })

  it('stores the displayed size, swapping width and height for EXIF orientations 5-8', () => {
    const byPath = new Map(listImages(db, 0, 1000).map((image) => [image.relativePath, image]))
    for (const expected of generated.images) {
      const stored = byPath.get(expected.relativePath)!
      expect({ path: expected.relativePath, width: stored.width, height: stored.height }).toEqual({
        path: expected.relativePath,
        width: expected.width,
        height: expected.height,
      })
    }
    const rotated = generated.images.find((image) => image.orientation === 6)!
    expect(byPath.get(rotated.relativePath)!.width).toBe(rotated.storedHeight)
  })

  it('recognises every supported format, BMP included', () => {
    const formats = new Set(listImages(db, 0, 1000).map((image) => image.format))
    expect([...formats].sort()).toEqual(['bmp', 'gif', 'jpeg', 'png', 'tiff', 'webp'])
  })

  it('reports progress up to the number of files examined', () => {
    const last = progress.at(-1)!
    expect(last.examined).toBe(last.total)
    expect(last.total).toBe(generated.images.length + generated.corruptFiles.length + 2) // + notes.txt, readme.md
  })

  it('adds nothing on a second scan of an unchanged folder', async () => {
    const again = await scanImageFolder(db, generated.root)
    expect(again.rowsWritten).toBe(0)
    expect(countImages(db)).toBe(generated.images.length)
  })

  it.skipIf(process.platform === 'win32')('does not follow symbolic links out of the image root', async () => {
    const outside = await createImageFolder(join(folder, 'outside'))
    const root = join(folder, 'with-link')
    await mkdir(root)
    await symlink(outside.root, join(root, 'linked-folder'))
    await symlink(outside.images[0]!.absolutePath, join(root, 'linked.jpg'))
    const linkDb = openDatabase(join(folder, 'links.rwproj'), { mustExist: false })
    migrate(linkDb, projectMigrations)
    const linkReport = await scanImageFolder(linkDb, root)
    expect(linkReport.imageCount).toBe(0)
    linkDb.close()
  })

  it('stops when cancelled, keeping what it already wrote', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(scanImageFolder(db, generated.root, { signal: controller.signal })).rejects.toThrow()
    expect(countImages(db)).toBe(generated.images.length)
  })
})
