import type { SqliteDatabase } from '../connection'

/**
 * One schema change. `version` is the `PRAGMA user_version` the database has after it
 * runs. Migrations are append-only: a released migration is never edited, a later one
 * changes what it did.
 */
export interface Migration {
  version: number
  name: string
  /**
   * The migration rebuilds a table that other tables reference (SQLite's 12-step procedure for
   * schema changes ALTER TABLE cannot make): `migrate` turns foreign key enforcement off for
   * the transaction, so dropping the old table cascades to nothing, and on again after it.
   * Such a migration checks the references it could have broken (`PRAGMA foreign_key_check`)
   * and throws when any is, which rolls everything back.
   */
  foreignKeysOff?: boolean
  up(db: SqliteDatabase): void
}
