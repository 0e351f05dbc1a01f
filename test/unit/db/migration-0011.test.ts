import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../../src-main/core/db/connection'
import { getSchemaVersion, migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'

let folder: string
let db: SqliteDatabase

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-m11-'))
  db = openDatabase(join(folder, 'test.rwproj'), { mustExist: false })
})
afterEach(async () => {
  if (db.open) db.close()
  await rm(folder, { recursive: true, force: true })
})

const uncertaintyOf = (path: string) => db.prepare('SELECT uncertainty FROM images WHERE path = ?').pluck().get(path)

describe('migration 11: image uncertainty', () => {
  it('gives images their uncertainty from the detections already stored, under each run’s operating point', () => {
    migrate(db, projectMigrations.slice(0, 10))
    db.exec(`
      INSERT INTO images (id, path, format, width, height, file_size, mtime_ms, added_at, status)
        VALUES (1, 'a.png', 'png', 10, 10, 1, 1, 't', 'detected'), (2, 'b.png', 'png', 10, 10, 1, 1, 't', 'detected'),
               (3, 'c.png', 'png', 10, 10, 1, 1, 't', 'new'), (4, 'd.png', 'png', 10, 10, 1, 1, 't', 'detected');
      INSERT INTO classes (id, name, color, sort_order, created_at) VALUES (1, 'cat', '#aa0000', 0, 't');
      INSERT INTO runs (id, model_path, model_sha256, model_config, provider_requested, decode_cutoff, scope, state, started_at, finished_at)
        VALUES (1, '/m.onnx', '${'a'.repeat(64)}', '{"config":{"labelThreshold":{"score":0.4,"perClass":{"cat":0.6}}}}',
                'cpu', 0.05, 'all', 'done', 't', 't'),
               (2, '/m.onnx', '${'a'.repeat(64)}', '{}', 'cpu', 0.05, 'all', 'done', 't', 't');
      INSERT INTO run_images (run_id, image_id, state, error_message, detection_count, finished_at)
        VALUES (1, 1, 'done', NULL, 1, 't'), (1, 2, 'done', NULL, 0, 't'), (1, 4, 'done', NULL, 1, 't'), (2, 4, 'done', NULL, 1, 't');
      INSERT INTO detections (run_id, image_id, class_id, score, x1, y1, x2, y2)
        VALUES (1, 1, 1, 0.7, 0, 0, 5, 5), (1, 4, 1, 0.6, 0, 0, 5, 5), (2, 4, 1, 0.55, 0, 0, 5, 5);
    `)
    expect(migrate(db, projectMigrations.slice(0, 11))).toEqual({ from: 10, to: 11 })
    expect(getSchemaVersion(db)).toBe(11)
    // a: cat 0.7 against run 1's cat threshold 0.6 → 1 − 0.1/0.2; b: nothing found → 0;
    // c: no run → −1; d: its newest run (2, threshold 0.5 by default) → 1 − 0.05/0.2, not run 1's 1.
    expect(uncertaintyOf('a.png')).toBeCloseTo(0.5, 12)
    expect(uncertaintyOf('b.png')).toBe(0)
    expect(uncertaintyOf('c.png')).toBe(-1)
    expect(uncertaintyOf('d.png')).toBeCloseTo(0.75, 12)
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'images_uncertainty_path'").pluck().get()).toBe(1)
    expect(() => db.exec('UPDATE images SET uncertainty = -0.5 WHERE id = 1')).toThrow(/CHECK/)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
