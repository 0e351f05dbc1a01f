/**
 * One image under one run, judged as the evaluation judges it (box-classification.ts at the
 * run's effective label thresholds): what the editor highlights. An image scores the same alone
 * as among others (COCO matches image by image), so its verdicts are the confusion matrix's.
 */
import type { ImageEvaluation, JudgedDetection, MissedLabel } from '../../../src-shared/api/evaluation-types'
import { boxFromColumns } from '../../../src-shared/geometry/box'
import { listClasses } from '../db/classes-repository'
import type { SqliteDatabase } from '../db/connection'
import { readImageEvaluationRows } from '../db/evaluation-query'
import { effectiveThresholdsForRun } from '../db/label-thresholds-repository'
import { AppError } from '../errors'
import { DetectionVerdict, GroundTruthVerdict } from '../metrics/box-classification'
import { scoreProjectRun } from '../metrics/project-evaluation'
import { DEFAULT_TARGET_PRECISION, requireRun } from './scope-scoring'

const verdictNames: Record<number, JudgedDetection['verdict'] | undefined> = {
  [DetectionVerdict.TruePositive]: 'truePositive',
  [DetectionVerdict.WrongClass]: 'wrongClass',
  [DetectionVerdict.Background]: 'background',
}

export function evaluateImage(db: SqliteDatabase, runId: number, imageId: number): ImageEvaluation {
  return db.transaction(() => {
    requireRun(db, runId)
    const rows = readImageEvaluationRows(db, runId, imageId)
    if (!rows) throw new AppError('not-found', { key: 'image.notFound', values: { imageId } })
    const judged: ImageEvaluation = { imageId, runId, reviewed: rows.reviewed, hasResult: rows.hasResult, detections: [], missed: [] }
    if (!rows.hasResult) return judged
    const { classification } = scoreProjectRun({
      classes: listClasses(db),
      imageIds: [imageId],
      labels: rows.labels,
      detections: rows.detections,
      labelThreshold: effectiveThresholdsForRun(db, runId),
      targetPrecision: DEFAULT_TARGET_PRECISION,
    })
    const detections: JudgedDetection[] = []
    rows.detections.forEach((row, d) => {
      const verdict = verdictNames[classification.detectionVerdict[d]!]
      if (verdict === undefined) return
      const label = classification.detectionGroundTruth[d]!
      detections.push({ detectionId: row.id, classId: row.classId, score: row.score, box: boxFromColumns(row), verdict, labelId: label < 0 ? null : rows.labels[label]!.id })
    })
    detections.sort((a, b) => b.score - a.score || a.detectionId - b.detectionId)
    const missed: MissedLabel[] = rows.labels
      .filter((_, g) => classification.groundTruthVerdict[g] === GroundTruthVerdict.Missed)
      .map((row) => ({ labelId: row.id, classId: row.classId, box: boxFromColumns(row) }))
    return { ...judged, detections, missed }
  })()
}
