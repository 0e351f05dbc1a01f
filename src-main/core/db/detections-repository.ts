import type { DetectionBox } from '../../../src-shared/api/types'
import { type BoxColumns, boxFromColumns, MIN_LABEL_SIZE } from '../../../src-shared/geometry/box'
import type { Detection } from '../detect/types'
import { AppError } from '../errors'
import { replaceDetectionAnnotations, type DetectionLabelOutcome } from './annotations-repository'
import type { SqliteDatabase } from './connection'
import { effectiveThresholdsForRun } from './label-thresholds-repository'
import { imageUncertainty, writeImageUncertainty } from './image-uncertainty'
import { getRunLabels, requireRun } from './runs-repository'
import { cachedStatement } from './statement-cache'

/** What a run found for one image: its detections, or why the image could not be processed. */
export type ImageResult =
  | { imageId: number; state: 'done'; detections: readonly Detection[] }
  | { imageId: number; state: 'error'; errorMessage: string }

export interface RecordedImageResult {
  imageId: number
  /** `already-recorded`: this run had finished the image before; nothing was written. */
  outcome: 'recorded' | 'already-recorded'
  /** Whether the image's labels were rebuilt from these detections (see replaceDetectionAnnotations). */
  labels: DetectionLabelOutcome | 'unchanged'
}

/** A stored detection with the contract's names for its columns, but for the box's corners. */
interface DetectionRow extends BoxColumns {
  id: number
  classId: number
  score: number
}

function checkDetection(imageId: number, detection: Detection, position: number): void {
  const [x1, y1, x2, y2] = detection.box
  const finite = [x1, y1, x2, y2, detection.score].every(Number.isFinite)
  if (!finite || x2 < x1 || y2 < y1 || detection.score < 0 || detection.score > 1) {
    throw new AppError(
      'invalid-argument',
      `Detection ${position + 1} of image ${imageId} is not a valid box ` +
        `(box [${detection.box.join(', ')}], score ${detection.score}).`,
    )
  }
}

/** Rows per multi-row INSERT: one statement call per chunk costs less than one per detection. */
const DETECTIONS_PER_STATEMENT = 16
const insertDetectionsSql = 'INSERT INTO detections (run_id, image_id, class_id, score, x1, y1, x2, y2) VALUES'

function detectionValues(rows: number): string {
  return Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')
}

/**
 * Records a batch of per-image results of a running run in one transaction. Each image's
 * completion row, detections, status and (if nobody has touched the image) its labels are
 * written together, so a crash leaves an image either wholly recorded or not at all. An
 * image this run already finished is skipped, never duplicated, which makes a retried batch
 * harmless.
 */
export function recordImageResults(
  db: SqliteDatabase,
  runId: number,
  results: readonly ImageResult[],
  finishedAt: string,
): RecordedImageResult[] {
  for (const result of results) {
    if (result.state === 'done') result.detections.forEach((detection, index) => checkDetection(result.imageId, detection, index))
    else if (result.errorMessage.trim() === '') {
      throw new AppError('invalid-argument', `The error of image ${result.imageId} needs a message.`)
    }
  }
  const insertCompletion = cachedStatement(
    db,
    `INSERT INTO run_images (run_id, image_id, state, error_message, detection_count, finished_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, image_id) DO NOTHING`,
  )
  const insertDetection = cachedStatement(db, `${insertDetectionsSql} ${detectionValues(1)}`)
  const insertDetectionChunk = cachedStatement(db, `${insertDetectionsSql} ${detectionValues(DETECTIONS_PER_STATEMENT)}`)
  const addClassCount = cachedStatement(
    db,
    `INSERT INTO run_class_counts (run_id, class_id, detection_count) VALUES (?, ?, ?)
     ON CONFLICT (run_id, class_id) DO UPDATE SET detection_count = detection_count + excluded.detection_count`,
  )
  const readStatus = cachedStatement(db, 'SELECT status FROM images WHERE id = ?')
  // A person's "reviewed" is never overridden by a machine.
  const setStatus = cachedStatement(
    db,
    `UPDATE images SET status = ?, error_message = ? WHERE id = ? AND status <> 'reviewed'`,
  )

  return db.transaction(() => {
    const run = requireRun(db, runId)
    if (run.state !== 'running') {
      throw new AppError('conflict', `Detection run ${runId} is ${run.state}; reopen it before recording results.`)
    }
    const classIdOf = getRunLabels(db, runId)
    const thresholds = effectiveThresholdsForRun(db, runId)
    return results.map((result): RecordedImageResult => {
      const { imageId } = result
      if (readStatus.get(imageId) === undefined) {
        throw new AppError('not-found', { key: 'image.notFound', values: { imageId } })
      }
      const done = result.state === 'done'
      const inserted = insertCompletion.run(
        runId,
        imageId,
        result.state,
        done ? null : result.errorMessage,
        done ? result.detections.length : 0,
        finishedAt,
      )
      if (inserted.changes === 0) return { imageId, outcome: 'already-recorded', labels: 'unchanged' }
      if (!done) {
        setStatus.run('error', result.errorMessage, imageId)
        return { imageId, outcome: 'recorded', labels: 'unchanged' }
      }
      const perClass = new Map<number, number>()
      const recorded: Array<{ classId: number; score: number }> = []
      const rows: Array<number | null>[] = result.detections.map((detection) => {
        const classId = classIdOf.get(detection.classIndex)
        if (classId === undefined) {
          throw new AppError(
            'invalid-argument',
            `Image ${imageId} has a detection with label index ${detection.classIndex}, which the model's config does not name.`,
          )
        }
        perClass.set(classId, (perClass.get(classId) ?? 0) + 1)
        recorded.push({ classId, score: detection.score })
        const [x1, y1, x2, y2] = detection.box
        return [runId, imageId, classId, detection.score, x1, y1, x2, y2]
      })
      let next = 0
      for (; next + DETECTIONS_PER_STATEMENT <= rows.length; next += DETECTIONS_PER_STATEMENT) {
        insertDetectionChunk.run(rows.slice(next, next + DETECTIONS_PER_STATEMENT).flat())
      }
      for (; next < rows.length; next++) insertDetection.run(rows[next]!)
      for (const [classId, count] of perClass) addClassCount.run(runId, classId, count)
      setStatus.run('detected', null, imageId)
      writeImageUncertainty(db, imageId, imageUncertainty(recorded, thresholds))
      const labels = replaceDetectionAnnotations(db, imageId, runId, thresholds, finishedAt)
      return { imageId, outcome: 'recorded', labels }
    })
  }).immediate()
}

function toDetectionBox(row: DetectionRow): DetectionBox {
  return { id: row.id, classId: row.classId, score: row.score, box: boxFromColumns(row) }
}

/** The run's detections on one image, best first. */
export function listDetections(db: SqliteDatabase, runId: number, imageId: number): DetectionBox[] {
  const rows = db
    .prepare(
      `SELECT id, class_id AS classId, score, x1, y1, x2, y2 FROM detections
       WHERE run_id = ? AND image_id = ? ORDER BY score DESC, id`,
    )
    .all(runId, imageId) as DetectionRow[]
  return rows.map(toDetectionBox)
}

/** The newest run that finished this image without error, if any. */
export function findLatestRunOfImage(db: SqliteDatabase, imageId: number): number | undefined {
  const runId = db
    .prepare(`SELECT max(run_id) FROM run_images WHERE image_id = ? AND state = 'done'`)
    .pluck()
    .get(imageId) as number | null
  return runId ?? undefined
}

/**
 * A run's detections on an image that no label came from: what the editor offers as
 * suggestions, best first. A detection whose label a person deleted is not offered again; one
 * whose acceptance was undone is (its label row is deleted only because the accept was undone).
 * Classes are as the project sees them now (a merged class read as the class it went into);
 * degenerate boxes (narrower or lower than a label may be) are left out.
 */
export function listSuggestions(db: SqliteDatabase, runId: number, imageId: number): DetectionBox[] {
  const rows = db
    .prepare(
      `SELECT d.id, coalesce(c.merged_into, d.class_id) AS classId, d.score, d.x1, d.y1, d.x2, d.y2
       FROM detections d JOIN classes c ON c.id = d.class_id
       WHERE d.run_id = ? AND d.image_id = ?
         AND d.x2 - d.x1 >= ${MIN_LABEL_SIZE} AND d.y2 - d.y1 >= ${MIN_LABEL_SIZE}
         AND NOT EXISTS (
           SELECT 1 FROM annotations a WHERE a.detection_id = d.id
             AND (a.deleted_at IS NULL OR EXISTS (
               SELECT 1 FROM edit_log l JOIN edit_gestures g ON g.id = l.gesture_id
               WHERE l.annotation_id = a.id AND l.op = 'delete' AND g.undone = 0)))
       ORDER BY d.score DESC, d.id`,
    )
    .all(runId, imageId) as DetectionRow[]
  return rows.map(toDetectionBox)
}
