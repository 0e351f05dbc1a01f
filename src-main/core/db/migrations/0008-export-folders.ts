import type { Migration } from './migration'

/**
 * The folders this project's exports were written into (the parent of each export's
 * destination), so that opening the project removes the hidden `.partial` folders an export
 * killed midway left there (see core/formats/export-temporary-folder.ts), wherever they are.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'export folders',
  up(db) {
    db.exec(`
      CREATE TABLE export_folders (
        folder TEXT PRIMARY KEY CHECK (length(folder) BETWEEN 1 AND 4096),
        last_export_at TEXT NOT NULL
      );
    `)
  },
}
