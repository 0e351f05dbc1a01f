import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { type NewImage, upsertImages } from '../../../src-main/core/db/images-repository'
import { migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { ensureClassesByName } from '../../../src-main/core/db/classes-repository'
import type { ImageResult } from '../../../src-main/core/db/detections-repository'
import { createRun, type NewRun } from '../../../src-main/core/db/runs-repository'

/** A migrated project database in its own temporary folder. */
export interface TemporaryProject {
  folder: string
  file: string
  db: SqliteDatabase
  /** Closes the database (if open) and removes the folder. */
  dispose(): Promise<void>
}

export async function createTemporaryProject(prefix: string): Promise<TemporaryProject> {
  const folder = await mkdtemp(join(tmpdir(), prefix))
  const file = join(folder, 'test.rwproj')
  const db = openDatabase(file, { mustExist: false })
  migrate(db, projectMigrations)
  const project: TemporaryProject = {
    folder,
    file,
    db,
    async dispose() {
      if (project.db.open) project.db.close()
      await rm(folder, { recursive: true, force: true })
    },
  }
  return project
}

export const testTime = '2026-03-01T10:00:00.000Z'

export function newImage(relativePath: string): NewImage {
  return { relativePath, format: 'png', width: 100, height: 80, fileSize: 1000, mtimeMs: 1 }
}

/** Adds images by path and returns their ids in the same order. */
export function addImages(db: SqliteDatabase, paths: readonly string[]): number[] {
  upsertImages(db, paths.map(newImage), testTime)
  const find = db.prepare('SELECT id FROM images WHERE path = ?').pluck()
  return paths.map((path) => find.get(path) as number)
}

/** Label names of the test model, by label index. */
export const modelLabels = ['cat', 'dog', 'bird'] as const

/** Starts a run of a three-class model; label index i maps to the class named modelLabels[i]. */
export function startRun(db: SqliteDatabase, overrides: Partial<NewRun> = {}): number {
  const ids = ensureClassesByName(db, modelLabels, testTime)
  return createRun(db, {
    modelPath: '/models/pets.onnx',
    modelSha256: 'a'.repeat(64),
    modelConfig: { preset: 'torchvision', classes: modelLabels },
    providerRequested: 'auto',
    decodeCutoff: 0.5,
    scope: 'unprocessed',
    labels: modelLabels.map((name, labelIndex) => ({ labelIndex, classId: ids.get(name)! })),
    startedAt: testTime,
    ...overrides,
  })
}

/** A made-up but deterministic result per image id: every 11th image fails, the others have 5–11 boxes. */
export function syntheticResultFor(imageId: number): ImageResult {
  if (imageId % 11 === 0) return { imageId, state: 'error', errorMessage: `image ${imageId} cannot be decoded` }
  const detections = Array.from({ length: 5 + (imageId % 7) }, (_, index) => ({
    classIndex: index % 3,
    score: ((imageId * 7 + index * 13) % 100) / 100,
    box: [index, index, index + 10, index + 20] as const,
  }))
  return { imageId, state: 'done', detections }
}
