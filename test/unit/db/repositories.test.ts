import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import {
  countImages,
  findImage,
  findImageByPath,
  listImages,
  type NewImage,
  upsertImages,
} from '../../../src-main/core/db/images-repository'
import { migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { findProject, insertProject } from '../../../src-main/core/db/project-repository'

let folder: string
let db: SqliteDatabase

const image = (relativePath: string, overrides: Partial<NewImage> = {}): NewImage => ({
  relativePath,
  format: 'png',
  width: 40,
  height: 30,
  fileSize: 1234,
  mtimeMs: 1000,
  ...overrides,
})

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-repo-'))
  db = openDatabase(join(folder, 'test.rwproj'), { mustExist: false })
  migrate(db, projectMigrations)
})

afterEach(async () => {
  db.close()
  await rm(folder, { recursive: true, force: true })
})

describe('project repository', () => {
  it('stores and reads back the metadata row', () => {
    expect(findProject(db)).toBeUndefined()
    const record = {
      uuid: '3f1c',
      name: 'Birds',
      createdAt: '2026-01-02T03:04:05.000Z',
      appVersion: '0.1.0',
      imageRoot: '../photos',
    }
    insertProject(db, record)
    expect(findProject(db)).toEqual(record)
    expect(() => insertProject(db, record)).toThrow()
  })
})

describe('images repository', () => {
  it('inserts images and pages them ordered by path', () => {
    upsertImages(db, [image('b.png'), image('a/z.png'), image('a/b.png'), image('c.png')], 'now')
    expect(countImages(db)).toBe(4)
    expect(listImages(db, 0, 2).map((row) => row.relativePath)).toEqual(['a/b.png', 'a/z.png'])
    expect(listImages(db, 2, 10).map((row) => row.relativePath)).toEqual(['b.png', 'c.png'])
    expect(listImages(db, 10, 10)).toEqual([])
  })

  it('finds by id and by path, and returns undefined for unknown ids', () => {
    upsertImages(db, [image('one.png', { width: 7, height: 9, format: 'jpeg' })], 'now')
    const found = findImageByPath(db, 'one.png')!
    expect(found).toMatchObject({ relativePath: 'one.png', width: 7, height: 9, format: 'jpeg', fileSize: 1234 })
    expect(findImage(db, found.id)).toEqual(found)
    expect(findImage(db, found.id + 1000)).toBeUndefined()
  })

  it('keeps ids stable on a rescan and only rewrites changed files', () => {
    upsertImages(db, [image('a.png'), image('b.png')], 'first')
    const idBefore = findImageByPath(db, 'b.png')!.id
    const changed = upsertImages(db, [image('a.png'), image('b.png', { mtimeMs: 2000, fileSize: 99 })], 'second')
    expect(changed).toBe(1)
    expect(findImageByPath(db, 'b.png')).toMatchObject({ id: idBefore, mtimeMs: 2000, fileSize: 99 })
    expect(countImages(db)).toBe(2)
  })

  it('writes a batch atomically: one bad row leaves none of the batch behind', () => {
    expect(() => upsertImages(db, [image('good.png'), image('bad.png', { width: 0 })], 'now')).toThrow(/CHECK/)
    expect(countImages(db)).toBe(0)
  })

  it('pages 10,000 images without loading them all', () => {
    const many = Array.from({ length: 10_000 }, (_, index) => image(`img/${String(index).padStart(5, '0')}.png`))
    upsertImages(db, many, 'now')
    expect(countImages(db)).toBe(10_000)
    const page = listImages(db, 9_990, 100)
    expect(page).toHaveLength(10)
    expect(page[0]!.relativePath).toBe('img/09990.png')
  })
})
