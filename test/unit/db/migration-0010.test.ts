import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { findRun, setRunProvider } from '../../../src-main/core/db/runs-repository'

let folder: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m10-'))
  db = openDatabase(join(folder, 'test.rwproj'), { mustExist: false })
})
afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

function insertRun(fallbackReason: string | null): void {
  db.prepare(
    `INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, provider_used, provider_fallback_reason, decode_cutoff, scope, state, started_at, finished_at)
     VALUES ('/m.onnx', ?, '{}', 'auto', 'cpu', ?, 0.05, 'all', 'done', 't', 't')`,
  ).run('a'.repeat(64), fallbackReason)
}

describe('migration 10: provider skip keys', () => {
  it('keeps the English reasons of older runs, and stores the keys of new ones beside them', () => {
    migrate(db, projectMigrations.slice(0, 9))
    insertRun('CUDA: files missing; WebGPU: no GPU was found')
    expect(migrate(db, projectMigrations.slice(0, 10))).toEqual({ from: 9, to: 10 })
    expect(getSchemaVersion(db)).toBe(10)
    expect(findRun(db, 1)?.providerSkipped).toEqual([
      { provider: 'cuda', reason: 'files missing' },
      { provider: 'webgpu', reason: 'no GPU was found' },
    ])

    insertRun(null)
    const skipped = [
      { provider: 'cuda' as const, reason: 'files missing' },
      { provider: 'webgpu' as const, reason: 'no GPU was found (…)', said: { key: 'gpu.noGpu' as const } },
    ]
    setRunProvider(db, 2, { used: 'cpu', device: 'CPU', fallbackReason: 'CUDA: files missing; WebGPU: no GPU was found (…)', skipped })
    expect(findRun(db, 2)?.providerSkipped).toEqual(skipped)
  })

  it('ignores stored keys that are not keys of the catalogue, keeping the English reasons', () => {
    migrate(db, projectMigrations)
    insertRun('WebGPU: no GPU')
    db.prepare('UPDATE runs SET provider_skipped_said = ? WHERE id = 1').run(JSON.stringify([{ key: 'constructor' }]))
    expect(findRun(db, 1)?.providerSkipped).toEqual([{ provider: 'webgpu', reason: 'no GPU' }])
    db.prepare('UPDATE runs SET provider_skipped_said = ? WHERE id = 1').run('not json')
    expect(findRun(db, 1)?.providerSkipped).toEqual([{ provider: 'webgpu', reason: 'no GPU' }])
  })
})
