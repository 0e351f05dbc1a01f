import type { Migration } from './migration'

/**
 * Labels as the project's editable truth (see the labels API in src-shared/api/label-types.ts).
 *
 * - `project.label_threshold` and `class_label_thresholds`: the project's label threshold and
 *   its per-class values. A NULL project value means "the model's calibrated operating point"
 *   (the run's config); once set, the project's values apply to every class.
 * - `edit_gestures.batch_id`: gestures that share it are undone and redone together, so one
 *   step can span several images (an import). History is project-wide; `edit_gestures_history`
 *   finds the latest step to undo and the next to redo without scanning.
 * - `annotations.source`: the file an imported label came from.
 * - `images.reviewed_at`: when a person marked the image reviewed (time spent per image).
 * - `classes.merged_into`: a class merged into another leaves the class list; its detections
 *   (immutable) are read as the class it went into.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'label thresholds, project-wide edit history, import sources, review times, class merges',
  up(db) {
    db.exec(`
      ALTER TABLE project ADD COLUMN label_threshold REAL
        CHECK (label_threshold IS NULL OR (label_threshold > 0 AND label_threshold <= 1));

      CREATE TABLE class_label_thresholds (
        class_id INTEGER PRIMARY KEY REFERENCES classes (id) ON DELETE CASCADE,
        score    REAL NOT NULL CHECK (score > 0 AND score <= 1)
      ) STRICT;

      ALTER TABLE edit_gestures ADD COLUMN batch_id INTEGER;
      CREATE INDEX edit_gestures_history ON edit_gestures (undone, id);
      CREATE INDEX edit_gestures_batch ON edit_gestures (batch_id) WHERE batch_id IS NOT NULL;

      ALTER TABLE annotations ADD COLUMN source TEXT CHECK (source IS NULL OR origin = 'import');

      ALTER TABLE images ADD COLUMN reviewed_at TEXT;
      UPDATE images SET reviewed_at = added_at WHERE status = 'reviewed';

      ALTER TABLE classes ADD COLUMN merged_into INTEGER REFERENCES classes (id);
    `)
  },
}
