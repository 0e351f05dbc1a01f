import type { SqliteDatabase } from './connection'

/** Remembers that an export of this project is being written into `folder` (see migration 8). */
export function rememberExportFolder(db: SqliteDatabase, folder: string, now: string): void {
  db.prepare(
    `INSERT INTO export_folders (folder, last_export_at) VALUES (?, ?)
     ON CONFLICT (folder) DO UPDATE SET last_export_at = excluded.last_export_at`,
  ).run(folder, now)
}

/** The folders this project's exports were written into, most recent first. */
export function listExportFolders(db: SqliteDatabase): string[] {
  return db.prepare('SELECT folder FROM export_folders ORDER BY last_export_at DESC, folder').pluck().all() as string[]
}
