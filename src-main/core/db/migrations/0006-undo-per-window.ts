import type { Migration } from './migration'

/**
 * One undo history per window (issue 19): two windows on one project undo only their own edits.
 *
 * - `edit_gestures.editor_id`: the window that made the step (a random id the window keeps for
 *   its life, across reloads). NULL for steps made before this migration and for steps made
 *   without a window (the CLI, imports): those stay undoable from any window, as all steps were.
 * - `edit_gestures.superseded_at`: when an undo or redo of the step was refused because another
 *   window had changed its labels since; such a step leaves its window's history (undoing it
 *   would overwrite the other window's work) but stays in the log that scores the model.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'undo history per window',
  up(db) {
    db.exec(`
      ALTER TABLE edit_gestures ADD COLUMN editor_id TEXT
        CHECK (editor_id IS NULL OR (length(editor_id) BETWEEN 1 AND 100));
      ALTER TABLE edit_gestures ADD COLUMN superseded_at TEXT;
      CREATE INDEX edit_gestures_editor_history ON edit_gestures (editor_id, undone, id);
    `)
  },
}
