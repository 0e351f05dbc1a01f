import type { GridImage, GridPage, ImageOrder } from '../../../src-shared/api/types'
import type { SqliteDatabase } from './connection'
import type { ImageStatus } from './image-status'

/**
 * `path`: by relative path. `uncertainty`: the images the model is least sure about first (see
 * image-uncertainty.ts), ties by path, images no run has finished last.
 */
export type { ImageOrder }

/**
 * Which images the grid shows, every given condition holding, and in what order. The order
 * travels with the conditions because every grid position depends on both.
 */
export interface ImageGridFilter {
  /** Default `path`. */
  order?: ImageOrder
  /** Any of these statuses. */
  statuses?: readonly ImageStatus[]
  /** Only images the last run could not process (status `error`). */
  hasErrors?: boolean
  /** Only images with (true) or without (false) a file on disk at the last rescan. */
  missing?: boolean
  /** Only images with at least one current label of this class. */
  classId?: number
}

/** One page of the grid, in the contract's types. */
export type ImageGridPage = GridPage

/** A grid row as SQLite gives it: the contract's GridImage but for the two columns SQLite cannot type. */
type GridRow = Omit<GridImage, 'missing' | 'uncertainty'> & { missing: number; uncertainty: number }

/**
 * The SQL of one order: its ORDER BY, and the conditions "comes after" / "comes before" the
 * image whose sort key is bound as @keyPath (and @keyUncertainty), so that a position is a count
 * and "the next one" a LIMIT 1, both served by an index.
 */
interface OrderSql {
  orderBy: string
  after: string
  before: string
}

const ORDERS: Record<ImageOrder, OrderSql> = {
  path: { orderBy: 'i.path', after: 'i.path > @keyPath', before: 'i.path < @keyPath' },
  uncertainty: {
    orderBy: 'i.uncertainty DESC, i.path',
    after: '(i.uncertainty < @keyUncertainty OR (i.uncertainty = @keyUncertainty AND i.path > @keyPath))',
    before: '(i.uncertainty > @keyUncertainty OR (i.uncertainty = @keyUncertainty AND i.path < @keyPath))',
  },
}

function orderOf(filter: ImageGridFilter): OrderSql {
  return ORDERS[filter.order ?? 'path']
}

/** An image's sort key, bound as the parameters of OrderSql's conditions. */
interface SortKey {
  keyPath: string
  keyUncertainty: number
}

/**
 * How the class condition is evaluated. `probe`: walk images (in path order, or through the
 * status index) and look each one up in the class index; cheap when matches are dense or
 * another condition already narrows the images. `class-index`: start from the class index's
 * list of images; cheap when the class is on few images.
 */
type ClassStrategy = 'probe' | 'class-index'

/** With at most this many matches a page is fetched from the class index and sorted in the order asked. */
const CLASS_INDEX_PAGE_LIMIT = 5_000

/** The WHERE clause and its parameters; only fixed SQL fragments, values always bound. */
function buildFilter(
  filter: ImageGridFilter,
  classStrategy: ClassStrategy,
): { where: string; params: Record<string, unknown> } {
  const conditions: string[] = []
  const params: Record<string, unknown> = {}
  if (filter.statuses !== undefined) {
    const names = filter.statuses.map((status, index) => {
      params[`status${index}`] = status
      return `@status${index}`
    })
    conditions.push(names.length === 0 ? '0' : `i.status IN (${names.join(', ')})`)
  }
  if (filter.hasErrors) conditions.push(`i.status = 'error'`)
  if (filter.missing !== undefined) {
    conditions.push('i.missing = @missing')
    params.missing = filter.missing ? 1 : 0
  }
  if (filter.classId !== undefined) {
    conditions.push(
      classStrategy === 'probe'
        ? `EXISTS (SELECT 1 FROM annotations a
                   WHERE a.image_id = i.id AND a.deleted_at IS NULL AND a.class_id = @classId)`
        : 'i.id IN (SELECT a.image_id FROM annotations a WHERE a.class_id = @classId AND a.deleted_at IS NULL)',
    )
    params.classId = filter.classId
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params }
}

function isNarrowedByStatus(filter: ImageGridFilter): boolean {
  return filter.statuses !== undefined || filter.hasErrors === true
}

export function countGridImages(db: SqliteDatabase, filter: ImageGridFilter = {}): number {
  if (filter.classId !== undefined && !isNarrowedByStatus(filter) && filter.missing === undefined) {
    // The class alone: the class index lists its images in order, no image row is read.
    return db
      .prepare('SELECT count(DISTINCT image_id) FROM annotations WHERE class_id = ? AND deleted_at IS NULL')
      .pluck()
      .get(filter.classId) as number
  }
  // A count visits every match: from the class index, unless a status already narrows the images.
  const { where, params } = buildFilter(filter, isNarrowedByStatus(filter) ? 'probe' : 'class-index')
  return db.prepare(`SELECT count(*) FROM images i ${where}`).pluck().get(params) as number
}

/**
 * One page of the image grid in the filter's order, each image with its status and box count.
 * `matchCount` is the filter's total when the caller has it: with a class filter that few
 * images match, the page then starts from the class index instead of walking every image.
 */
export function listGridImages(
  db: SqliteDatabase,
  filter: ImageGridFilter,
  offset: number,
  limit: number,
  matchCount?: number,
): GridImage[] {
  const fewMatches = matchCount !== undefined && matchCount <= CLASS_INDEX_PAGE_LIMIT
  const { where, params } = buildFilter(filter, fewMatches && !isNarrowedByStatus(filter) ? 'class-index' : 'probe')
  const rows = db
    .prepare(
      `SELECT i.id, i.path AS relativePath, i.width, i.height, i.file_size AS fileSize, i.mtime_ms AS mtimeMs,
              i.status, i.error_message AS errorMessage, i.missing, i.uncertainty,
              (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.deleted_at IS NULL) AS labelCount
       FROM images i ${where}
       ORDER BY ${orderOf(filter).orderBy} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit, offset }) as GridRow[]
  return rows.map((row) => ({ ...row, missing: row.missing === 1, uncertainty: row.uncertainty < 0 ? null : row.uncertainty }))
}

export function getGridPage(db: SqliteDatabase, filter: ImageGridFilter, offset: number, limit: number): ImageGridPage {
  return db.transaction(() => {
    const total = countGridImages(db, filter)
    return { total, offset, items: listGridImages(db, filter, offset, limit, total) }
  })()
}

/**
 * The first image after grid position `afterIndex` (same filter and order) that is not
 * reviewed, wrapping around to the start; its position and id, or undefined when every image
 * the filter shows is reviewed.
 */
export function findNextUnreviewed(
  db: SqliteDatabase,
  filter: ImageGridFilter,
  afterIndex: number,
): { index: number; imageId: number } | undefined {
  return db.transaction(() => {
    const order = orderOf(filter)
    const { where, params } = buildFilter(filter, 'probe')
    const and = where === '' ? 'WHERE' : `${where} AND`
    const afterKey =
      afterIndex < 0
        ? undefined
        : (db
            .prepare(
              `SELECT i.path AS keyPath, i.uncertainty AS keyUncertainty FROM images i ${where}
               ORDER BY ${order.orderBy} LIMIT 1 OFFSET @afterIndex`,
            )
            .get({ ...params, afterIndex }) as SortKey | undefined)
    const first = (after: SortKey | undefined) =>
      db
        .prepare(
          `SELECT i.id, i.path AS keyPath, i.uncertainty AS keyUncertainty FROM images i
           ${and} i.status <> 'reviewed' ${after === undefined ? '' : `AND ${order.after}`}
           ORDER BY ${order.orderBy} LIMIT 1`,
        )
        .get({ ...params, ...after }) as (SortKey & { id: number }) | undefined
    const found = (afterKey === undefined ? undefined : first(afterKey)) ?? first(undefined)
    if (!found) return undefined
    const { id, ...key } = found
    return { index: countBefore(db, filter, key), imageId: id }
  })()
}

/** How many images the filter shows before the image with this sort key: its position. */
function countBefore(db: SqliteDatabase, filter: ImageGridFilter, key: SortKey): number {
  const { where, params } = buildFilter(filter, 'probe')
  const and = where === '' ? 'WHERE' : `${where} AND`
  return db.prepare(`SELECT count(*) FROM images i ${and} ${orderOf(filter).before}`).pluck().get({ ...params, ...key }) as number
}

/** The grid position of an image under a filter and its order, or undefined when the filter hides it. */
export function findGridPosition(
  db: SqliteDatabase,
  filter: ImageGridFilter,
  imageId: number,
): { index: number; imageId: number } | undefined {
  return db.transaction(() => {
    const { where, params } = buildFilter(filter, 'probe')
    const and = where === '' ? 'WHERE' : `${where} AND`
    const key = db
      .prepare(`SELECT i.path AS keyPath, i.uncertainty AS keyUncertainty FROM images i ${and} i.id = @imageId`)
      .get({ ...params, imageId }) as SortKey | undefined
    if (key === undefined) return undefined
    return { index: countBefore(db, filter, key), imageId }
  })()
}
