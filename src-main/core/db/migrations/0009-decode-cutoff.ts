import type { Migration } from './migration'

/**
 * `runs.score_threshold` becomes `decode_cutoff`: it is the score below which the model's
 * decoder dropped detections, and "score threshold" also named the label threshold and the
 * viewer's suggestion threshold. SQLite rewrites the column's CHECK with it.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'decode cutoff',
  up(db) {
    db.exec('ALTER TABLE runs RENAME COLUMN score_threshold TO decode_cutoff')
  },
}
