/**
 * A run scored on the images of an evaluation scope: the reviewed images it finished (and the
 * compared run finished too), optionally only those inside a folder. Reads the rows and scores
 * them; the report, the images behind a selection and the CLI's output are all read off this.
 */
import { evaluationFolder } from '../../../src-shared/api/evaluation-schemas'
import { listClasses, type ClassRecord } from '../db/classes-repository'
import type { SqliteDatabase } from '../db/connection'
import { readCorrectionEffort, type CorrectionEffort } from '../db/correction-effort-query'
import { readEvaluationRows, type EvaluationRows } from '../db/evaluation-query'
import { effectiveThresholdsForRun, type ClassThresholds } from '../db/label-thresholds-repository'
import { findRun, type RunRecord } from '../db/runs-repository'
import { AppError } from '../errors'
import { scoreProjectRun, type ScoredProjectRun } from '../metrics/project-evaluation'

export const DEFAULT_TARGET_PRECISION = 0.9

export interface EvaluationScope {
  runId: number
  /** A second run scored on the images both runs finished. */
  compareRunId?: number | undefined
  /** Relative to the image root, '/'-separated; '' or absent: the whole project. */
  folder?: string | undefined
}

export interface ScoringOptions {
  /** One label threshold for every class instead of the run's effective thresholds (the CLI's --label-threshold). */
  labelThreshold?: number | undefined
  /** What the CLI's per-class suggestion aims at; the API recomputes suggestions per call. */
  targetPrecision?: number | undefined
}

export interface ScoredRun {
  run: RunRecord
  thresholds: ClassThresholds
  /** The evaluated images (image index i of the evaluation is imageIds[i]); the box rows are not kept once scored. */
  rows: Pick<EvaluationRows, 'imageIds' | 'reviewedWithoutResult'>
  scored: ScoredProjectRun<ClassRecord>
  effort: CorrectionEffort
}

export interface ScoredScope {
  runId: number
  compareRunId: number | null
  folder: string
  primary: ScoredRun
  comparison: ScoredRun | null
}

export function requireRun(db: SqliteDatabase, runId: number): RunRecord {
  const run = findRun(db, runId)
  if (!run) throw new AppError('not-found', { key: 'run.notFound', values: { runId } })
  return run
}

export function checkedFolder(folder: string | undefined): string {
  const parsed = evaluationFolder.safeParse(folder ?? '')
  if (!parsed.success) throw new AppError('invalid-argument', `The folder "${String(folder).slice(0, 200)}" ${parsed.error.issues[0]?.message ?? 'is not valid'}.`)
  return parsed.data
}

export function scoreScope(db: SqliteDatabase, scope: EvaluationScope, options: ScoringOptions = {}): ScoredScope {
  const folder = checkedFolder(scope.folder)
  const compareRunId = scope.compareRunId ?? null
  if (compareRunId === scope.runId) throw new AppError('invalid-argument', { key: 'run.compareWithItself', values: { runId: scope.runId } })
  return db.transaction(() => {
    const run = requireRun(db, scope.runId)
    const other = compareRunId === null ? null : requireRun(db, compareRunId)
    const primary = scoreRun(db, run, other, folder, options)
    const comparison = other === null ? null : scoreRun(db, other, run, folder, options)
    return { runId: run.id, compareRunId, folder, primary, comparison }
  })()
}

function scoreRun(db: SqliteDatabase, run: RunRecord, other: RunRecord | null, folder: string, options: ScoringOptions): ScoredRun {
  const imageScope = { runId: run.id, sameImagesAs: other?.id, folder }
  const rows = readEvaluationRows(db, imageScope)
  const thresholds = options.labelThreshold === undefined ? effectiveThresholdsForRun(db, run.id) : { score: options.labelThreshold, perClass: new Map<number, number>() }
  const scored = scoreProjectRun({
    classes: listClasses(db),
    ...rows,
    labelThreshold: thresholds,
    targetPrecision: options.targetPrecision ?? DEFAULT_TARGET_PRECISION,
  })
  return { run, thresholds, rows: { imageIds: rows.imageIds, reviewedWithoutResult: rows.reviewedWithoutResult }, scored, effort: readCorrectionEffort(db, imageScope) }
}
