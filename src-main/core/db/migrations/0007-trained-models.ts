import type { Migration } from './migration'

/**
 * Models trained from this project's reviewed labels (issue 23), so the project remembers what
 * taught what and the run panel can offer them:
 *
 * - `model_path`, `config_path`: the trained model and its config, as written (absolute).
 * - `base_model_path`, `base_sha256`: what training started from.
 * - `image_count`, `held_out_count`, `label_count`, `labels_sha256`: the reviewed images it
 *   learnt from (and held out), and a hash of their labels at the time.
 * - `settings`, `held_out_before`, `held_out_after`: JSON — hyperparameters, and the held-out
 *   scores of the base model and the trained one on the same images.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'trained models',
  up(db) {
    db.exec(`
      CREATE TABLE trained_models (
        id INTEGER PRIMARY KEY,
        model_path TEXT NOT NULL CHECK (length(model_path) BETWEEN 1 AND 4096),
        config_path TEXT NOT NULL CHECK (length(config_path) BETWEEN 1 AND 4096),
        base_model_path TEXT NOT NULL,
        base_sha256 TEXT NOT NULL CHECK (length(base_sha256) = 64),
        image_count INTEGER NOT NULL CHECK (image_count >= 0),
        held_out_count INTEGER NOT NULL CHECK (held_out_count >= 0),
        label_count INTEGER NOT NULL CHECK (label_count >= 0),
        labels_sha256 TEXT NOT NULL CHECK (length(labels_sha256) = 64),
        settings TEXT NOT NULL CHECK (json_valid(settings)),
        held_out_before TEXT NOT NULL CHECK (json_valid(held_out_before)),
        held_out_after TEXT NOT NULL CHECK (json_valid(held_out_after)),
        created_at TEXT NOT NULL
      );
    `)
  },
}
