import type { Migration } from './migration'

/**
 * Classes, detection runs and their raw output, the current labels (annotations), the edit
 * log behind undo/redo, and an image status.
 *
 * - Raw model output is immutable: `run_images` (one completion row per run and image) and
 *   `detections` refuse UPDATE, and refuse DELETE unless their run or image is being deleted
 *   (the triggers let a cascade through because the parent row is already gone by then).
 *   Detections reference their completion row, so no detection can exist for an image whose
 *   result was not recorded in the same transaction.
 * - `classes`, `runs`, `annotations` and `edit_gestures` use AUTOINCREMENT: an id is never
 *   reused, so a renamed class keeps its id and an old edit log entry never points at a
 *   newer row.
 * - `run_class_counts` holds detections per run and class, written with the detections.
 * - Annotations are soft-deleted (`deleted_at`): undo restores the same row, and scoring a
 *   model can tell which detections a person kept, moved, relabelled or deleted.
 * - An edit is one `edit_gestures` row (one undo step) with one `edit_log` entry per changed
 *   annotation, holding the annotation's state before and after as JSON.
 * - Existing images become `new`; `missing` is set by a rescan that no longer finds a file.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'runs, detections, annotations, classes and edit log',
  up(db) {
    db.exec(`
      ALTER TABLE images ADD COLUMN status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'detected', 'reviewed', 'error'));
      ALTER TABLE images ADD COLUMN error_message TEXT
        CHECK ((status = 'error') = (error_message IS NOT NULL));
      ALTER TABLE images ADD COLUMN missing INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1));
      -- Grid pages filtered by status, still in path order.
      CREATE INDEX images_status_path ON images (status, path);

      CREATE TABLE classes (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT NOT NULL UNIQUE CHECK (name <> '' AND name = trim(name)),
        color      TEXT NOT NULL CHECK (color GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
        sort_order INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE runs (
        id                       INTEGER PRIMARY KEY AUTOINCREMENT,
        model_path               TEXT NOT NULL,
        model_sha256             TEXT NOT NULL CHECK (length(model_sha256) = 64),
        model_config             TEXT NOT NULL CHECK (json_valid(model_config)),
        provider_requested       TEXT NOT NULL CHECK (provider_requested IN ('auto', 'cuda', 'cpu')),
        provider_used            TEXT CHECK (provider_used IN ('cuda', 'cpu')),
        provider_fallback_reason TEXT,
        score_threshold          REAL NOT NULL CHECK (score_threshold >= 0 AND score_threshold <= 1),
        scope                    TEXT NOT NULL CHECK (scope IN ('unprocessed', 'all')),
        state                    TEXT NOT NULL CHECK (state IN ('running', 'done', 'cancelled', 'failed')),
        error_message            TEXT CHECK ((state = 'failed') = (error_message IS NOT NULL)),
        started_at               TEXT NOT NULL,
        finished_at              TEXT CHECK ((state = 'running') = (finished_at IS NULL))
      ) STRICT;
      CREATE INDEX runs_state ON runs (state);

      -- The model's label index -> project class, fixed when the run starts.
      CREATE TABLE run_classes (
        run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        label_index INTEGER NOT NULL CHECK (label_index >= 0),
        class_id    INTEGER NOT NULL REFERENCES classes (id),
        PRIMARY KEY (run_id, label_index)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX run_classes_class ON run_classes (class_id);

      CREATE TABLE run_images (
        run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        image_id        INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        state           TEXT NOT NULL CHECK (state IN ('done', 'error')),
        error_message   TEXT CHECK ((state = 'error') = (error_message IS NOT NULL)),
        detection_count INTEGER NOT NULL CHECK (detection_count >= 0 AND (state = 'done' OR detection_count = 0)),
        finished_at     TEXT NOT NULL,
        PRIMARY KEY (run_id, image_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX run_images_image ON run_images (image_id);

      CREATE TABLE detections (
        id       INTEGER PRIMARY KEY,
        run_id   INTEGER NOT NULL,
        image_id INTEGER NOT NULL,
        class_id INTEGER NOT NULL REFERENCES classes (id),
        score    REAL NOT NULL CHECK (score >= 0 AND score <= 1),
        x1       REAL NOT NULL,
        y1       REAL NOT NULL,
        x2       REAL NOT NULL CHECK (x2 >= x1),
        y2       REAL NOT NULL CHECK (y2 >= y1),
        FOREIGN KEY (run_id, image_id) REFERENCES run_images (run_id, image_id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX detections_run_image ON detections (run_id, image_id);

      -- Detections per run and class, kept with the detections so project stats need not
      -- count millions of rows; a detection deleted with its image is subtracted.
      CREATE TABLE run_class_counts (
        run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        class_id        INTEGER NOT NULL REFERENCES classes (id),
        detection_count INTEGER NOT NULL CHECK (detection_count >= 0),
        PRIMARY KEY (run_id, class_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX run_class_counts_class ON run_class_counts (class_id);
      CREATE TRIGGER detections_counted_out AFTER DELETE ON detections
      BEGIN
        UPDATE run_class_counts SET detection_count = detection_count - 1
        WHERE run_id = OLD.run_id AND class_id = OLD.class_id;
      END;

      CREATE TRIGGER run_images_no_update BEFORE UPDATE ON run_images
      BEGIN
        SELECT RAISE(ABORT, 'run_images rows are immutable');
      END;
      CREATE TRIGGER run_images_delete_only_with_parent BEFORE DELETE ON run_images
      WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)
       AND EXISTS (SELECT 1 FROM images WHERE id = OLD.image_id)
      BEGIN
        SELECT RAISE(ABORT, 'run_images rows are deleted only with their run or image');
      END;
      CREATE TRIGGER detections_no_update BEFORE UPDATE ON detections
      BEGIN
        SELECT RAISE(ABORT, 'detections are immutable');
      END;
      CREATE TRIGGER detections_delete_only_with_parent BEFORE DELETE ON detections
      WHEN EXISTS (SELECT 1 FROM run_images WHERE run_id = OLD.run_id AND image_id = OLD.image_id)
      BEGIN
        SELECT RAISE(ABORT, 'detections are deleted only with their run or image');
      END;

      CREATE TABLE annotations (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        image_id     INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        class_id     INTEGER NOT NULL REFERENCES classes (id),
        x1           REAL NOT NULL,
        y1           REAL NOT NULL,
        x2           REAL NOT NULL CHECK (x2 >= x1),
        y2           REAL NOT NULL CHECK (y2 >= y1),
        origin       TEXT NOT NULL CHECK (origin IN ('detection', 'manual', 'import')),
        -- Null for manual and imported boxes, and once the run it came from is deleted.
        detection_id INTEGER REFERENCES detections (id) ON DELETE SET NULL
                     CHECK (detection_id IS NULL OR origin = 'detection'),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted_at   TEXT
      ) STRICT;
      -- Box counts per image and "has class" checks, covering; also the image cascade.
      CREATE INDEX annotations_image ON annotations (image_id, deleted_at, class_id);
      -- Images having a class (grid filter, per-class counts); also the class foreign key.
      CREATE INDEX annotations_class ON annotations (class_id, deleted_at, image_id);
      -- One label per detection at most, so what became of a detection is well defined.
      CREATE UNIQUE INDEX annotations_detection ON annotations (detection_id);

      CREATE TABLE edit_gestures (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        image_id   INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        command    TEXT NOT NULL CHECK (command <> ''),
        created_at TEXT NOT NULL,
        undone     INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
      ) STRICT;
      CREATE INDEX edit_gestures_image ON edit_gestures (image_id, id);

      CREATE TABLE edit_log (
        id            INTEGER PRIMARY KEY,
        gesture_id    INTEGER NOT NULL REFERENCES edit_gestures (id) ON DELETE CASCADE,
        annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
        op            TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
        before        TEXT CHECK ((before IS NULL) = (op = 'create') AND (before IS NULL OR json_valid(before))),
        after         TEXT CHECK ((after IS NULL) = (op = 'delete') AND (after IS NULL OR json_valid(after)))
      ) STRICT;
      CREATE INDEX edit_log_gesture ON edit_log (gesture_id, id);
      CREATE INDEX edit_log_annotation ON edit_log (annotation_id);
    `)
  },
}
