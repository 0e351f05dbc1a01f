import type { SqliteDatabase } from '../connection'
import type { Migration } from './migration'

/**
 * Runs on ONNX Runtime's WebGPU provider, and the device a run's graph ran on.
 *
 * `runs.provider_requested` and `runs.provider_used` take 'webgpu'; `runs.provider_device`
 * holds the device in words ("NVIDIA H200 through Vulkan", "CPU"), NULL for runs recorded
 * before it existed. SQLite cannot change a CHECK constraint, so `runs` is rebuilt with
 * SQLite's procedure for other schema changes: with foreign key enforcement off (see
 * Migration.foreignKeysOff), so dropping the old table deletes nothing that references it,
 * a new table gets every row with its id, the old one is dropped, the new one takes its
 * name, and the indexes and triggers on or about `runs` are made again as they were. The
 * AUTOINCREMENT counter is carried over, so an id of a deleted run is still never reused.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'WebGPU provider and provider device of runs',
  foreignKeysOff: true,
  up(db) {
    if (db.pragma('foreign_keys', { simple: true }) !== 0) {
      throw new Error('Migration 5 rebuilds the runs table and must run with foreign key enforcement off.')
    }
    const dependents = schemaObjectsAboutRuns(db)
    const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").pluck().get() as number | undefined
    const rowCount = db.prepare('SELECT count(*) FROM runs').pluck().get() as number

    // Triggers and views elsewhere that name `runs` would stop the rename below (the table is
    // gone for a moment); they are dropped here, those on `runs` go with it, and all come back.
    for (const object of dependents) {
      if (object.tbl_name !== 'runs' || object.type === 'view') {
        db.exec(`DROP ${object.type === 'view' ? 'VIEW' : 'TRIGGER'} ${quoteName(object.name)}`)
      }
    }
    db.exec(`
      CREATE TABLE runs_rebuilt (
        id                       INTEGER PRIMARY KEY AUTOINCREMENT,
        model_path               TEXT NOT NULL,
        model_sha256             TEXT NOT NULL CHECK (length(model_sha256) = 64),
        model_config             TEXT NOT NULL CHECK (json_valid(model_config)),
        provider_requested       TEXT NOT NULL CHECK (provider_requested IN ('auto', 'cuda', 'webgpu', 'cpu')),
        provider_used            TEXT CHECK (provider_used IN ('cuda', 'webgpu', 'cpu')),
        provider_fallback_reason TEXT,
        provider_device          TEXT CHECK (provider_device IS NULL OR provider_used IS NOT NULL),
        score_threshold          REAL NOT NULL CHECK (score_threshold >= 0 AND score_threshold <= 1),
        scope                    TEXT NOT NULL CHECK (scope IN ('unprocessed', 'all')),
        state                    TEXT NOT NULL CHECK (state IN ('running', 'done', 'cancelled', 'failed')),
        error_message            TEXT CHECK ((state = 'failed') = (error_message IS NOT NULL)),
        started_at               TEXT NOT NULL,
        finished_at              TEXT CHECK ((state = 'running') = (finished_at IS NULL)),
        lease_owner              TEXT,
        lease_expires_at         INTEGER
      ) STRICT;
      INSERT INTO runs_rebuilt (id, model_path, model_sha256, model_config, provider_requested, provider_used,
                                provider_fallback_reason, score_threshold, scope, state, error_message, started_at,
                                finished_at, lease_owner, lease_expires_at)
        SELECT id, model_path, model_sha256, model_config, provider_requested, provider_used,
               provider_fallback_reason, score_threshold, scope, state, error_message, started_at,
               finished_at, lease_owner, lease_expires_at
        FROM runs ORDER BY id;
      DROP TABLE runs;
      ALTER TABLE runs_rebuilt RENAME TO runs;
    `)
    for (const object of dependents) db.exec(object.sql)

    if (sequence !== undefined) {
      const kept = db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'runs'").run(sequence).changes
      if (kept === 0) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('runs', ?)").run(sequence)
    }
    const copied = db.prepare('SELECT count(*) FROM runs').pluck().get() as number
    if (copied !== rowCount) throw new Error(`Migration 5 copied ${copied} of ${rowCount} detection runs.`)
    for (const table of ['run_classes', 'run_images', 'run_class_counts']) {
      const broken = db.pragma(`foreign_key_check(${table})`) as unknown[]
      if (broken.length > 0) throw new Error(`Migration 5 left ${broken.length} rows of ${table} without their run.`)
    }
  },
}

interface SchemaObject {
  type: 'index' | 'trigger' | 'view'
  name: string
  tbl_name: string
  sql: string
}

/** Indexes and triggers on `runs`, and triggers and views that name it, in schema order. */
function schemaObjectsAboutRuns(db: SqliteDatabase): SchemaObject[] {
  const objects = db
    .prepare(
      `SELECT type, name, tbl_name, sql FROM sqlite_schema
       WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid`,
    )
    .all() as SchemaObject[]
  const namesRuns = /(^|[^\w"])"?runs"?($|[^\w"])/i
  return objects.filter((object) => object.tbl_name === 'runs' || (object.type !== 'index' && namesRuns.test(object.sql)))
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
