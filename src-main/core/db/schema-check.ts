/**
 * Whether a database has the tables and columns our own migrations give a project of its
 * schema version, checked on a read-only connection before anything writes it (issue 21,
 * items 3 and 8). A foreign database that happens to have a `project` table and a small
 * `user_version` is refused here in words, instead of being switched to WAL mode and then
 * failing half-way with SQLite's own `no such column: uuid`.
 */
import Database from 'better-sqlite3'
import type { SqliteDatabase } from './connection'
import { migrate } from './migrate'
import type { Migration } from './migrations/migration'
import { getSqliteNativeBinding } from './native-binding'

type Schema = Map<string, Set<string>>

const expectedByVersion = new Map<number, Schema>()

function readSchema(db: SqliteDatabase): Schema {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]
  const schema: Schema = new Map()
  for (const table of tables) {
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]
    schema.set(table, new Set(columns))
  }
  return schema
}

/** The schema our migrations build up to `version`, made once per version in memory. */
function expectedSchema(migrations: readonly Migration[], version: number): Schema {
  const known = expectedByVersion.get(version)
  if (known) return known
  const nativeBinding = getSqliteNativeBinding()
  const memory = new Database(':memory:', nativeBinding ? { nativeBinding } : {})
  try {
    migrate(memory, migrations.slice(0, version))
    const schema = readSchema(memory)
    expectedByVersion.set(version, schema)
    return schema
  } finally {
    memory.close()
  }
}

/** `table` or `table.column` for each part of our schema at `version` the database lacks (first few). */
export function missingSchemaParts(db: SqliteDatabase, migrations: readonly Migration[], version: number, limit = 5): string[] {
  const actual = readSchema(db)
  const missing: string[] = []
  for (const [table, columns] of expectedSchema(migrations, version)) {
    const present = actual.get(table)
    if (!present) missing.push(table)
    else for (const column of columns) if (!present.has(column)) missing.push(`${table}.${column}`)
    if (missing.length >= limit) break
  }
  return missing.slice(0, limit)
}

/** Whether the database has a table of this name. */
export function hasTable(db: SqliteDatabase, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
}
