import { AppError } from '../errors'
import type { SqliteDatabase } from './connection'
import type { Migration } from './migrations/migration'

/**
 * Checks that migrations are numbered 1, 2, 3, … with no gap or duplicate, so a
 * mis-merged registry fails at startup instead of silently skipping a schema change.
 */
export function assertMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const expected = index + 1
    if (migration.version !== expected) {
      throw new Error(
        `Migration "${migration.name}" has version ${migration.version} at position ${expected}; ` +
          'migrations must be numbered consecutively from 1.',
      )
    }
  })
}

export function getSchemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** A database from a newer app: refused, never touched. */
export function newerSchemaError(current: number, target: number): AppError {
  return new AppError(
    'conflict',
    `This project was saved by a newer version of Retina Workbench (schema version ${current}); ` +
      `this version understands schema versions up to ${target}. Update the app to open it.`,
  )
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version
}

export interface MigrationOutcome {
  from: number
  to: number
}

/**
 * Brings the database to the latest version. All pending migrations run in one
 * transaction with the `user_version` update, so a failure leaves the file exactly as it
 * was. A database written by a newer app version is refused, never downgraded.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): MigrationOutcome {
  assertMigrationOrder(migrations)
  const target = latestVersion(migrations)
  const current = getSchemaVersion(db)
  if (current > target) throw newerSchemaError(current, target)
  const pending = migrations.filter((migration) => migration.version > current)
  if (pending.length === 0) return { from: current, to: current }

  // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it.
  const switchForeignKeys =
    pending.some((migration) => migration.foreignKeysOff === true) && db.pragma('foreign_keys', { simple: true }) === 1
  if (switchForeignKeys) db.pragma('foreign_keys = OFF')
  try {
    db.transaction(() => {
      for (const migration of pending) {
        migration.up(db)
        // PRAGMA cannot take bound parameters; the version is an integer from our own registry.
        db.pragma(`user_version = ${Math.trunc(migration.version)}`)
      }
    }).immediate()
  } finally {
    if (switchForeignKeys) db.pragma('foreign_keys = ON')
  }
  return { from: current, to: target }
}
