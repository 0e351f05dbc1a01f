import type { SqliteDatabase } from '../connection'

/**
 * One schema change. `version` is the `PRAGMA user_version` the database has after it
 * runs. Migrations are append-only: a released migration is never edited, a later one
 * changes what it did.
 */
export interface Migration {
  version: number
  name: string
  up(db: SqliteDatabase): void
}
