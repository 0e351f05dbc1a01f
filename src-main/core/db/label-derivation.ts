import { AppError } from '../errors'
import { countImageLabels, deriveUntouchedLabels } from './annotations-repository'
import type { SqliteDatabase } from './connection'
import { refreshImageUncertainty } from './image-uncertainty'
import { type ClassThresholds, effectiveThresholdsByRun, writeProjectLabelThresholds } from './label-thresholds-repository'

export interface RederiveOutcome {
  /** Untouched images whose labels changed. */
  changedImageIds: number[]
  /** Labels on the untouched images before and after. */
  labelsBefore: number
  labelsAfter: number
}

/**
 * Images no person has touched (see isImageTouchedByPerson) that a run has finished, each with
 * its newest such run: the images whose labels follow the label thresholds.
 */
function untouchedImagesWithResults(db: SqliteDatabase): Array<{ imageId: number; runId: number }> {
  return db
    .prepare(
      `SELECT i.id AS imageId, latest.run_id AS runId
       FROM images i
       JOIN (SELECT image_id, max(run_id) AS run_id FROM run_images WHERE state = 'done' GROUP BY image_id) latest
         ON latest.image_id = i.id
       WHERE i.status <> 'reviewed'
         AND NOT EXISTS (SELECT 1 FROM edit_gestures g WHERE g.image_id = i.id)
         AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.image_id = i.id AND a.origin <> 'detection')
       ORDER BY i.id`,
    )
    .all() as Array<{ imageId: number; runId: number }>
}


/**
 * Re-derives the labels of every untouched image from its newest run under the current
 * thresholds (the project's, else each run's model operating point). Images a person touched
 * are never changed. Call inside a transaction.
 */
export function rederiveUntouchedLabels(db: SqliteDatabase, now: string): RederiveOutcome {
  const thresholdsOf = effectiveThresholdsByRun(db)
  const outcome: RederiveOutcome = { changedImageIds: [], labelsBefore: 0, labelsAfter: 0 }
  for (const { imageId, runId } of untouchedImagesWithResults(db)) {
    const before = countImageLabels(db, imageId)
    outcome.labelsBefore += before
    if (deriveUntouchedLabels(db, imageId, runId, thresholdsOf(runId), now)) {
      outcome.changedImageIds.push(imageId)
      outcome.labelsAfter += countImageLabels(db, imageId)
    } else {
      outcome.labelsAfter += before
    }
  }
  return outcome
}

/** Sets the project's label thresholds and re-derives untouched images, in one transaction. */
export function changeLabelThresholds(db: SqliteDatabase, thresholds: ClassThresholds, now: string): RederiveOutcome {
  return db.transaction(() => {
    for (const classId of thresholds.perClass.keys()) {
      if (db.prepare('SELECT 1 FROM classes WHERE id = ? AND merged_into IS NULL').get(classId) === undefined) {
        throw new AppError('not-found', `This project has no class with id ${classId}.`)
      }
    }
    writeProjectLabelThresholds(db, thresholds)
    refreshImageUncertainty(db)
    return rederiveUntouchedLabels(db, now)
  }).immediate()
}
