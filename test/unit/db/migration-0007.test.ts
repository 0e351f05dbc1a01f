import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { insertTrainedModel, listTrainedModels } from '../../../src-main/core/db/trained-models-repository'

let folder: string
let file: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m7-'))
  file = join(folder, 'test.rwproj')
  db = openDatabase(file, { mustExist: false })
})

afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

const MODEL = {
  modelPath: '/p/models/a.onnx',
  configPath: '/p/models/a.json',
  baseModelPath: '/app/resources/model.onnx',
  baseSha256: 'a'.repeat(64),
  imageCount: 12,
  heldOutCount: 3,
  labelCount: 80,
  labelsSha256: 'b'.repeat(64),
  settings: { epochs: 12, scales: [0.8, 1, 1.2] },
  heldOutBefore: { ap50: 0.71, ap: 0.4, threshold: 0.5 },
  heldOutAfter: { ap50: null, ap: null, threshold: 0.5 },
  createdAt: '2026-12-05T10:00:00.000Z',
}

describe('migration 7: trained models', () => {
  it('adds an empty table to a version 6 file, keeping what it had', () => {
    migrate(db, projectMigrations.slice(0, 6))
    db.exec("INSERT INTO project VALUES (1, 'u', 'p', 't', '0.1.0', '.', NULL)")
    db.close()
    db = openDatabase(file, { mustExist: true })
    expect(migrate(db, projectMigrations.slice(0, 7))).toEqual({ from: 6, to: 7 })
    expect(getSchemaVersion(db)).toBe(7)
    expect(listTrainedModels(db)).toEqual([])
    expect(db.prepare('SELECT name FROM project').pluck().get()).toBe('p')
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('keeps a trained model as written, newest first, and refuses malformed rows', () => {
    migrate(db, projectMigrations.slice(0, 7))
    const first = insertTrainedModel(db, MODEL)
    const second = insertTrainedModel(db, { ...MODEL, modelPath: '/p/models/b.onnx' })
    expect(listTrainedModels(db)).toEqual([
      { id: second, ...MODEL, modelPath: '/p/models/b.onnx' },
      { id: first, ...MODEL },
    ])
    expect(() => insertTrainedModel(db, { ...MODEL, baseSha256: 'short' })).toThrow(/CHECK/)
    expect(() => insertTrainedModel(db, { ...MODEL, modelPath: '' })).toThrow(/CHECK/)
    expect(() =>
      db
        .prepare(
          `INSERT INTO trained_models (model_path, config_path, base_model_path, base_sha256, image_count, held_out_count, label_count,
             labels_sha256, settings, held_out_before, held_out_after, created_at) VALUES ('m', 'c', 'b', ?, 1, 1, 1, ?, 'not json', '{}', '{}', 't')`,
        )
        .run('a'.repeat(64), 'b'.repeat(64)),
    ).toThrow(/CHECK/)
  })
})
