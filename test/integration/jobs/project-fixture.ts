/** Real project files on disk for the job tests: copies of the golden images, scanned into a new project. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { insertProject } from '../../../src-main/core/db/project-repository'
import { scanImageFolder } from '../../../src-main/core/images/scan'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const fixtureModel = join(repoRoot, 'test/fixtures/models/tiny-concat.onnx')
const goldenImages = join(repoRoot, 'test/fixtures/golden/images')

export interface ProjectFixture {
  dir: string
  imageFolder: string
  projectFile: string
  /** Relative paths of the images, sorted. */
  imagePaths: string[]
}

/** `count` images named img-000.png… cycling through the golden images (mixed sizes and formats). */
export function copyFixtureImages(imageFolder: string, count: number): string[] {
  mkdirSync(imageFolder, { recursive: true })
  const sources = readdirSync(goldenImages).sort()
  const names: string[] = []
  for (let index = 0; index < count; index++) {
    const source = sources[index % sources.length]!
    const name = `img-${String(index).padStart(3, '0')}${source.slice(source.lastIndexOf('.'))}`
    copyFileSync(join(goldenImages, source), join(imageFolder, name))
    names.push(name)
  }
  return names.sort()
}

export async function createProjectFixture(count: number): Promise<ProjectFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-project-'))
  const imageFolder = join(dir, 'images')
  const imagePaths = copyFixtureImages(imageFolder, count)
  const projectFile = join(dir, 'test.rwproj')
  const db = openDatabase(projectFile, { mustExist: false })
  try {
    migrate(db, projectMigrations)
    insertProject(db, { uuid: '7d9e3f0a-1b2c-4d5e-8f90-a1b2c3d4e5f6', name: 'test', createdAt: new Date().toISOString(), appVersion: '0.0.0', imageRoot: 'images' })
    await scanImageFolder(db, imageFolder)
  } finally {
    db.close()
  }
  return { dir, imageFolder, projectFile, imagePaths }
}

export function withDatabase<T>(projectFile: string, read: (db: SqliteDatabase) => T): T {
  const db = openDatabase(projectFile, { mustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

/** Every run_images row and detection count per image, for duplicate and consistency checks. */
export interface ImageResultCheck {
  imageId: number
  resultRows: number
  recordedCount: number
  actualDetections: number
}

export function checkResults(db: SqliteDatabase): ImageResultCheck[] {
  return db
    .prepare(
      `SELECT i.id AS imageId,
              (SELECT count(*) FROM run_images r WHERE r.image_id = i.id) AS resultRows,
              (SELECT coalesce(sum(detection_count), 0) FROM run_images r WHERE r.image_id = i.id) AS recordedCount,
              (SELECT count(*) FROM detections d WHERE d.image_id = i.id) AS actualDetections
       FROM images i ORDER BY i.id`,
    )
    .all() as ImageResultCheck[]
}
