import type { Migration } from './migration'

/**
 * The project's own metadata (a single row) and its images.
 *
 * - `project.image_root` is stored relative to the folder holding the project file, with
 *   forward slashes, so a project folder can be moved or shared as a whole.
 * - `images.path` is relative to the image root, forward slashes, unique; its index also
 *   serves `ORDER BY path` paging.
 * - `width`/`height` are the displayed size (after EXIF orientation), the frame every box
 *   is stored in.
 * Later issues add runs, detections, annotations, classes, an edit log and an image status
 * as further migrations.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'project and images',
  up(db) {
    db.exec(`
      CREATE TABLE project (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        uuid        TEXT NOT NULL,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        app_version TEXT NOT NULL,
        image_root  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE images (
        id        INTEGER PRIMARY KEY,
        path      TEXT NOT NULL UNIQUE,
        format    TEXT NOT NULL,
        width     INTEGER NOT NULL CHECK (width > 0),
        height    INTEGER NOT NULL CHECK (height > 0),
        file_size INTEGER NOT NULL CHECK (file_size >= 0),
        mtime_ms  REAL NOT NULL,
        added_at  TEXT NOT NULL
      ) STRICT;
    `)
  },
}
