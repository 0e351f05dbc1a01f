import Database from 'better-sqlite3'
import { getSqliteNativeBinding } from './native-binding'

export type SqliteDatabase = Database.Database

export interface OpenDatabaseOptions {
  /** Refuse to create the file when it does not exist. */
  mustExist: boolean
  /**
   * Open read-only and change nothing (no WAL switch): for looking at a file before it is
   * known to be a project.
   */
  readOnly?: boolean
}

/** How long a writer waits for a lock held by another connection before failing. */
const BUSY_TIMEOUT_MS = 5000

/**
 * How long a connection of a background job (a detection run's worker, the label write worker,
 * the CLI) waits for a lock. The app's longest write, an import or undo of a million labels,
 * takes seconds; a job waiting for it loses nothing, where failing would end a run.
 */
const JOB_BUSY_TIMEOUT_MS = 120_000

/** Lets a background job's connection wait for the app's long writes instead of failing after BUSY_TIMEOUT_MS. */
export function waitLikeAJob(db: SqliteDatabase): void {
  db.pragma(`busy_timeout = ${JOB_BUSY_TIMEOUT_MS}`)
}

/** A read-only connection to a database image held in memory: nothing on disk is touched. */
export function openDatabaseImage(image: Buffer): SqliteDatabase {
  const nativeBinding = getSqliteNativeBinding()
  return new Database(image, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) })
}

/** Opens a project database with the settings every connection must have. */
export function openDatabase(file: string, options: OpenDatabaseOptions): SqliteDatabase {
  const nativeBinding = getSqliteNativeBinding()
  const db = new Database(file, {
    fileMustExist: options.mustExist,
    readonly: options.readOnly === true,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  if (options.readOnly === true) return db
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    // WAL with synchronous=NORMAL never corrupts the database; at worst the last commit
    // before a power loss is rolled back.
    db.pragma('synchronous = NORMAL')
  } catch (error) {
    db.close()
    throw error
  }
  return db
}
