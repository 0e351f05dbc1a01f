import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import type { Migration } from '../../../src-main/core/db/migrations/migration'

let folder: string
let file: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m5-'))
  file = join(folder, 'test.rwproj')
  db = openDatabase(file, { mustExist: false })
})

afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

const version4 = projectMigrations.slice(0, 4)
const version5 = projectMigrations.slice(0, 5)

/** A version 4 project file with three runs (one deleted after them), their results, labels and a lease. */
function writeVersion4Project(): void {
  migrate(db, version4)
  db.exec(`
    INSERT INTO project VALUES (1, 'u', 'p', '2026-01-01', '0.1.0', '.', NULL);
    INSERT INTO images (id, path, format, width, height, file_size, mtime_ms, added_at, status, error_message)
      VALUES (1, 'a.jpg', 'jpeg', 4, 3, 10, 1, 't', 'detected', NULL), (2, 'b.jpg', 'jpeg', 4, 3, 10, 1, 't', 'error', 'cannot decode');
    INSERT INTO classes (name, color, sort_order, created_at) VALUES ('cat', '#112233', 0, 't'), ('dog', '#445566', 1, 't');
    INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, provider_used, provider_fallback_reason,
                      score_threshold, scope, state, error_message, started_at, finished_at)
      VALUES ('m.onnx', '${'a'.repeat(64)}', '{"config":{}}', 'auto', 'cpu', 'libcudart.so.12: cannot open shared object file',
              0.5, 'unprocessed', 'done', NULL, '2026-01-02', '2026-01-03'),
             ('m.onnx', '${'a'.repeat(64)}', '{}', 'cuda', 'cuda', NULL, 0.3, 'all', 'failed', 'out of memory', '2026-01-04', '2026-01-05'),
             ('gone.onnx', '${'b'.repeat(64)}', '{}', 'cpu', 'cpu', NULL, 0.5, 'all', 'done', NULL, '2026-01-06', '2026-01-07'),
             ('m.onnx', '${'a'.repeat(64)}', '{}', 'cpu', NULL, NULL, 0.5, 'all', 'running', NULL, '2026-01-08', NULL);
    DELETE FROM runs WHERE id = 3;
    INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, score_threshold, scope, state, started_at, finished_at)
      VALUES ('last.onnx', '${'c'.repeat(64)}', '{}', 'cpu', 0.5, 'all', 'cancelled', '2026-01-09', '2026-01-10');
    DELETE FROM runs WHERE id = 5;
    UPDATE runs SET lease_owner = 'host:42:token', lease_expires_at = 1767225600000 WHERE id = 4;
    INSERT INTO run_classes VALUES (1, 0, 1), (1, 1, 2), (2, 0, 1), (4, 0, 1);
    INSERT INTO run_images VALUES (1, 1, 'done', NULL, 2, 't'), (1, 2, 'error', 'cannot decode', 0, 't'), (2, 1, 'done', NULL, 1, 't');
    INSERT INTO detections VALUES (1, 1, 1, 1, 0.9, 0, 0, 2, 2), (2, 1, 1, 2, 0.4, 1, 1, 3, 3), (3, 2, 1, 1, 0.7, 0, 0, 1, 1);
    INSERT INTO run_class_counts VALUES (1, 1, 1), (1, 2, 1), (2, 1, 1);
    INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, detection_id, created_at, updated_at)
      VALUES (1, 1, 0, 0, 2, 2, 'detection', 1, 't', 't'), (1, 2, 0, 0, 1, 1, 'manual', NULL, 't', 't');
  `)
}

const everyTable = ['runs', 'run_classes', 'run_images', 'detections', 'run_class_counts', 'annotations', 'images', 'classes']

function dump(): Record<string, unknown[]> {
  return Object.fromEntries(everyTable.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all()]))
}

const schemaNames = () =>
  db.prepare("SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all()

const insertRun = (requested: string, used: string | null, device: string | null = null) =>
  db
    .prepare(
      `INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, provider_used, provider_device,
                         score_threshold, scope, state, started_at)
       VALUES ('m.onnx', ?, '{}', ?, ?, ?, 0.5, 'all', 'running', 't')`,
    )
    .run('d'.repeat(64), requested, used, device)

describe('migration 5: WebGPU provider and provider device', () => {
  it('keeps every run and what references it in a version 4 file, then accepts webgpu and a device', () => {
    writeVersion4Project()
    const before = dump()
    const schemaBefore = schemaNames()
    db.close()

    db = openDatabase(file, { mustExist: true })
    expect(migrate(db, version5)).toEqual({ from: 4, to: 5 })
    expect(getSchemaVersion(db)).toBe(5)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)

    const after = dump()
    expect(after.runs).toEqual(before.runs!.map((run) => ({ ...(run as object), provider_device: null })))
    for (const table of everyTable.filter((name) => name !== 'runs')) expect(after[table], table).toEqual(before[table])
    expect(schemaNames()).toEqual(schemaBefore)
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'runs'").pluck().get()).toBe(1)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])

    // The AUTOINCREMENT counter went on from the deleted run 5.
    expect(insertRun('webgpu', 'webgpu', 'NVIDIA H200 through Vulkan').lastInsertRowid).toBe(6)
    insertRun('auto', 'webgpu', 'Mesa lavapipe (software renderer, on the CPU) through Vulkan')
    expect(db.prepare('SELECT provider_used, provider_device FROM runs WHERE id >= 6 ORDER BY id').all()).toEqual([
      { provider_used: 'webgpu', provider_device: 'NVIDIA H200 through Vulkan' },
      { provider_used: 'webgpu', provider_device: 'Mesa lavapipe (software renderer, on the CPU) through Vulkan' },
    ])
    expect(() => insertRun('tpu', null)).toThrow(/CHECK/)
    expect(() => insertRun('auto', 'tpu')).toThrow(/CHECK/)
    expect(() => insertRun('auto', null, 'a device but no provider')).toThrow(/CHECK/)
  })

  it('keeps the triggers and cascades that involve runs working on the new table', () => {
    writeVersion4Project()
    migrate(db, version5)
    expect(() => db.exec('DELETE FROM run_images WHERE run_id = 1 AND image_id = 1')).toThrow(/deleted only with their run or image/)
    expect(() => db.exec('UPDATE detections SET score = 0.1 WHERE id = 1')).toThrow(/immutable/)
    expect(() => db.exec('INSERT INTO run_classes VALUES (404, 0, 1)')).toThrow(/FOREIGN KEY/)

    db.exec('DELETE FROM runs WHERE id = 1')
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = 1`).pluck().get()
    for (const table of ['run_classes', 'run_images', 'detections', 'run_class_counts']) expect(count(table), table).toBe(0)
    expect(db.prepare('SELECT detection_id FROM annotations ORDER BY id').pluck().all()).toEqual([null, null])
    expect(db.prepare('SELECT id FROM runs ORDER BY id').pluck().all()).toEqual([2, 4])
    expect(db.pragma('foreign_key_check')).toEqual([])
  })

  it('migrates an empty version 4 file, and a new file straight to version 5', () => {
    migrate(db, version4)
    expect(migrate(db, version5)).toEqual({ from: 4, to: 5 })
    expect(insertRun('webgpu', 'webgpu').lastInsertRowid).toBe(1)
    db.close()

    db = openDatabase(join(folder, 'new.rwproj'), { mustExist: false })
    expect(migrate(db, version5)).toEqual({ from: 0, to: 5 })
    expect((db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('runs') as string[]).slice(5, 9)).toEqual([
      'provider_used',
      'provider_fallback_reason',
      'provider_device',
      'score_threshold',
    ])
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
  })

  it('leaves the version 4 file as it was when a later step of the same migration fails', () => {
    writeVersion4Project()
    const before = dump()
    const failing: Migration = {
      version: 6,
      name: 'fails',
      up() {
        throw new Error('boom')
      },
    }
    expect(() => migrate(db, [...version5, failing])).toThrow('boom')
    expect(getSchemaVersion(db)).toBe(4)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(dump()).toEqual(before)
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('runs')).not.toContain('provider_device')
    expect(() =>
      db.exec(`INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, score_threshold, scope, state, started_at)
               VALUES ('m.onnx', '${'d'.repeat(64)}', '{}', 'webgpu', 0.5, 'all', 'running', 't')`),
    ).toThrow(/CHECK/)
  })
})
