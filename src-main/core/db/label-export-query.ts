/**
 * The labels an export reads, streamed a page of images at a time in path order (keyset
 * paging on the path index), so an export of 100,000 images holds one page in memory.
 * Labels are live annotations (not soft-deleted); a label whose class was merged into
 * another is exported under the class it was merged into.
 */
import { type Box, type BoxColumns, boxFromColumns } from '../../../src-shared/geometry/box'
import type { SqliteDatabase } from './connection'
import type { StoredImageFormat } from './images-repository'

export interface LabelExportSelection {
  /** false: reviewed images only (the default); true: every image with labels. */
  allImages: boolean
  /** Include every selected image without (exported) labels, as negatives. */
  includeEmpty: boolean
  /**
   * Include reviewed images without (exported) labels, as negatives: a labeler confirmed there
   * is nothing to label there, which training needs to know. Default true.
   */
  reviewedNegatives?: boolean
  /** Only these class ids count as labels; all classes when undefined. */
  classIds?: readonly number[]
}

export interface LabelExportClass {
  id: number
  name: string
}

export interface LabelExportImage {
  id: number
  relativePath: string
  format: StoredImageFormat
  width: number
  height: number
  missing: boolean
  boxes: Array<{ classId: number; box: Box }>
}

/** The project's classes in its order, merged-away classes left out. */
export function listExportClasses(db: SqliteDatabase): LabelExportClass[] {
  return db.prepare('SELECT id, name FROM classes WHERE merged_into IS NULL ORDER BY sort_order, id').all() as LabelExportClass[]
}

/** A label's class, or the class it was merged into. */
const CLASS_OF_LABEL = '(SELECT coalesce(c.merged_into, c.id) FROM classes c WHERE c.id = a.class_id)'

/** The WHERE clause choosing images; error images never (no readable pixels to label). */
function imageFilter(db: SqliteDatabase, selection: LabelExportSelection): string {
  const classFilter = selection.classIds ? `AND ${CLASS_OF_LABEL} IN (SELECT value FROM json_each(@classIds))` : ''
  const hasLabels = `EXISTS (SELECT 1 FROM annotations a WHERE a.image_id = i.id AND a.deleted_at IS NULL ${classFilter})`
  const scope = selection.allImages ? "i.status <> 'error'" : "i.status = 'reviewed'"
  if (selection.includeEmpty) return scope
  if (selection.reviewedNegatives ?? true) return `${scope} AND (${hasLabels} OR i.status = 'reviewed')`
  return `${scope} AND ${hasLabels}`
}

function parameters(selection: LabelExportSelection): Record<string, unknown> {
  return selection.classIds ? { classIds: JSON.stringify(selection.classIds) } : {}
}

export function countExportImages(db: SqliteDatabase, selection: LabelExportSelection): number {
  const row = db.prepare(`SELECT count(*) AS total FROM images i WHERE ${imageFilter(db, selection)}`).get(parameters(selection)) as { total: number }
  return row.total
}

export interface ExportCounts {
  images: number
  /** Of `images`, those without (exported) labels. */
  negatives: number
  labels: number
}

/** What an export of `selection` would write, counted before writing anything. */
export function countExport(db: SqliteDatabase, selection: LabelExportSelection): ExportCounts {
  const classFilter = selection.classIds ? `AND ${CLASS_OF_LABEL} IN (SELECT value FROM json_each(@classIds))` : ''
  const hasLabels = `EXISTS (SELECT 1 FROM annotations a WHERE a.image_id = i.id AND a.deleted_at IS NULL ${classFilter})`
  const images = db
    .prepare(`SELECT count(*) AS images, coalesce(sum(NOT ${hasLabels}), 0) AS negatives FROM images i WHERE ${imageFilter(db, selection)}`)
    .get(parameters(selection)) as { images: number; negatives: number }
  const labels = db
    .prepare(
      `SELECT count(*) FROM annotations a JOIN images i ON i.id = a.image_id
       WHERE a.deleted_at IS NULL ${classFilter} AND ${imageFilter(db, selection)}`,
    )
    .pluck()
    .get(parameters(selection)) as number
  return { images: images.images, negatives: images.negatives, labels }
}

/** Every image path of the project, in path order, without loading them all at once. */
export function* iterateImagePaths(db: SqliteDatabase): Generator<string> {
  for (const row of db.prepare('SELECT path FROM images ORDER BY path').iterate() as Iterable<{ path: string }>) yield row.path
}

/** The selected images with their labels, `pageSize` images at a time, in path order. */
export function* iterateExportPages(db: SqliteDatabase, selection: LabelExportSelection, pageSize = 500): Generator<LabelExportImage[]> {
  const imagesStatement = db.prepare(
    `SELECT i.id, i.path, i.format, i.width, i.height, i.missing FROM images i
     WHERE ${imageFilter(db, selection)} AND i.path > @after ORDER BY i.path LIMIT @limit`,
  )
  const classFilter = selection.classIds ? `AND ${CLASS_OF_LABEL} IN (SELECT value FROM json_each(@classIds))` : ''
  const boxesStatement = db.prepare(
    `SELECT a.image_id AS imageId, ${CLASS_OF_LABEL} AS classId, a.x1, a.y1, a.x2, a.y2 FROM annotations a
     WHERE a.image_id IN (SELECT value FROM json_each(@imageIds)) AND a.deleted_at IS NULL ${classFilter}
     ORDER BY a.image_id, a.id`,
  )
  let after = ''
  for (;;) {
    const rows = imagesStatement.all({ ...parameters(selection), after, limit: pageSize }) as Array<{
      id: number
      path: string
      format: StoredImageFormat
      width: number
      height: number
      missing: number
    }>
    if (rows.length === 0) return
    const images = new Map<number, LabelExportImage>(
      rows.map((row) => [row.id, { id: row.id, relativePath: row.path, format: row.format, width: row.width, height: row.height, missing: row.missing === 1, boxes: [] }]),
    )
    const boxes = boxesStatement.all({ ...parameters(selection), imageIds: JSON.stringify(rows.map((row) => row.id)) }) as Array<BoxColumns & { imageId: number; classId: number }>
    for (const row of boxes) images.get(row.imageId)?.boxes.push({ classId: row.classId, box: boxFromColumns(row) })
    yield [...images.values()]
    after = rows[rows.length - 1]!.path
  }
}
