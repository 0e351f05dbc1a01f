import { copyFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { findImageByPath, listImages } from '../../../src-main/core/db/images-repository'
import { getImageState, setImageReviewed } from '../../../src-main/core/db/image-status'
import { migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { rescanImageFolder, scanImageFolder } from '../../../src-main/core/images/scan'
import { createImageFolder, type GeneratedImageFolder } from '../../helpers/image-folder'

let folder: string
let generated: GeneratedImageFolder
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-rescan-'))
  generated = await createImageFolder(join(folder, 'images'))
  db = openDatabase(join(folder, 'rescan.rwproj'), { mustExist: false })
  migrate(db, projectMigrations)
  await scanImageFolder(db, generated.root)
})

afterEach(async () => {
  db.close()
  await rm(folder, { recursive: true, force: true })
})

const file = (relativePath: string) => join(generated.root, relativePath)

describe('rescanImageFolder', () => {
  it('changes nothing when the folder did not change', async () => {
    const before = listImages(db, 0, 1000)
    const report = await rescanImageFolder(db, generated.root)
    expect(report).toMatchObject({ imageCount: before.length, addedCount: 0, changedCount: 0, missingCount: 0, reappearedCount: 0 })
    expect(listImages(db, 0, 1000)).toEqual(before)
  })

  it('adds new files, marks deleted ones missing, and sends changed ones back to new with fresh metadata', async () => {
    const [first, second, third] = generated.images
    const ids = new Map(listImages(db, 0, 1000).map((image) => [image.relativePath, image.id]))
    setImageReviewed(db, ids.get(second!.relativePath)!, true, 'now')
    rmSync(first!.absolutePath)
    copyFileSync(third!.absolutePath, file('nested/added-copy.bin'))
    // The second image's file is replaced by a different image: new size and mtime.
    copyFileSync(third!.absolutePath, second!.absolutePath)

    const report = await rescanImageFolder(db, generated.root)
    expect(report).toMatchObject({ addedCount: 1, changedCount: 1, missingCount: 1, reappearedCount: 0 })
    expect(getImageState(db, ids.get(first!.relativePath)!)).toMatchObject({ missing: true })
    const changed = findImageByPath(db, second!.relativePath)!
    expect(changed.id).toBe(ids.get(second!.relativePath))
    expect({ width: changed.width, height: changed.height, fileSize: changed.fileSize }).toEqual({
      width: third!.width,
      height: third!.height,
      fileSize: statSync(third!.absolutePath).size,
    })
    expect(getImageState(db, changed.id)).toMatchObject({ status: 'new', missing: false })
    expect(findImageByPath(db, 'nested/added-copy.bin')).toMatchObject({ width: third!.width, height: third!.height })
  })

  it('clears the missing mark when the same file comes back, without touching its status', async () => {
    const [first] = generated.images
    const id = findImageByPath(db, first!.relativePath)!.id
    setImageReviewed(db, id, true, 'now')
    const aside = join(folder, 'aside')
    const times = statSync(first!.absolutePath)
    copyFileSync(first!.absolutePath, aside)
    rmSync(first!.absolutePath)
    expect((await rescanImageFolder(db, generated.root)).missingCount).toBe(1)
    // Missing twice is counted once.
    expect((await rescanImageFolder(db, generated.root)).missingCount).toBe(0)

    copyFileSync(aside, first!.absolutePath)
    // Back exactly as the project knows it (the project keeps whole milliseconds).
    utimesSync(first!.absolutePath, times.atime, (findImageByPath(db, first!.relativePath)!.mtimeMs + 0.5) / 1000)
    expect(await rescanImageFolder(db, generated.root)).toMatchObject({ reappearedCount: 1, changedCount: 0 })
    expect(getImageState(db, id)).toEqual({ status: 'reviewed', errorMessage: null, missing: false })
  })

  it('reports a known image that became unreadable as skipped, not missing', async () => {
    const [first] = generated.images
    writeFileSync(first!.absolutePath, 'no longer an image')
    const report = await rescanImageFolder(db, generated.root)
    expect(report).toMatchObject({ missingCount: 0, changedCount: 0, skippedCount: 1 })
    expect(report.skipped).toEqual([{ relativePath: first!.relativePath, reason: expect.any(String) }])
    expect(getImageState(db, findImageByPath(db, first!.relativePath)!.id)).toMatchObject({ missing: false })
  })
})
