import { refreshImageUncertainty } from '../image-uncertainty'
import type { Migration } from './migration'

/**
 * `images.uncertainty`: how unsure the model is about each image (see image-uncertainty.ts),
 * indexed with the path so the grid can list images most uncertain first a page at a time.
 * Images a run has finished get their value from the detections already stored; the others
 * hold -1, which sorts after every detected image.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'image uncertainty',
  up(db) {
    db.exec(`
      ALTER TABLE images ADD COLUMN uncertainty REAL NOT NULL DEFAULT -1 CHECK (uncertainty = -1 OR uncertainty >= 0);
      CREATE INDEX images_uncertainty_path ON images (uncertainty DESC, path);
    `)
    // Reads only tables and columns that exist from migration 10 on (images, runs, run_images,
    // detections, classes, project thresholds); later schema changes must keep it working.
    refreshImageUncertainty(db)
  },
}
