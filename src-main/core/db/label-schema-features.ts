/**
 * Columns of the labels model that arrive with a later migration (annotations.source,
 * edit_gestures.batch_id, images.reviewed_at, classes.merged_into). Export and import use each
 * one when the project file has it and do without it otherwise, so they work on files of
 * either schema version; once every supported file has them this probe can go.
 */
import type { SqliteDatabase } from './connection'

export interface LabelSchemaFeatures {
  /** annotations.source: the file an imported label came from. */
  annotationSource: boolean
  /** edit_gestures.batch_id: gestures undone and redone together. */
  gestureBatch: boolean
  /** images.reviewed_at: when the image was marked reviewed. */
  reviewedAt: boolean
  /** classes.merged_into: a class merged into another is no longer one of the project's classes. */
  classMerge: boolean
}

const probed = new WeakMap<SqliteDatabase, LabelSchemaFeatures>()

function hasColumn(db: SqliteDatabase, table: string, column: string): boolean {
  const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>
  return columns.some((entry) => entry.name === column)
}

export function labelSchemaFeatures(db: SqliteDatabase): LabelSchemaFeatures {
  let features = probed.get(db)
  if (!features) {
    features = {
      annotationSource: hasColumn(db, 'annotations', 'source'),
      gestureBatch: hasColumn(db, 'edit_gestures', 'batch_id'),
      reviewedAt: hasColumn(db, 'images', 'reviewed_at'),
      classMerge: hasColumn(db, 'classes', 'merged_into'),
    }
    probed.set(db, features)
  }
  return features
}
