import type { PerClassThresholds } from '../../../src-shared/api/label-types'
import type { SqliteDatabase } from './connection'

/** The label threshold of a model config that names none (see ModelConfig.labelThreshold). */
export const FALLBACK_LABEL_THRESHOLD = 0.5

/** Label thresholds resolved to class ids: a class without its own value uses `score`. */
export type ClassThresholds = PerClassThresholds<ReadonlyMap<number, number>>

/** The score a detection of this class needs to become a label. */
export function thresholdOf(thresholds: ClassThresholds, classId: number): number {
  return thresholds.perClass.get(classId) ?? thresholds.score
}

/** The project's own thresholds; undefined while it uses its model's operating point. */
export function findProjectLabelThresholds(db: SqliteDatabase): ClassThresholds | undefined {
  const score = db.prepare('SELECT label_threshold FROM project WHERE id = 1').pluck().get() as number | null | undefined
  if (score === null || score === undefined) return undefined
  const rows = db.prepare('SELECT class_id AS classId, score FROM class_label_thresholds').all() as Array<{
    classId: number
    score: number
  }>
  return { score, perClass: new Map(rows.map((row) => [row.classId, row.score])) }
}

/** Replaces the project's thresholds (all per-class values included); call inside a transaction. */
export function writeProjectLabelThresholds(db: SqliteDatabase, thresholds: ClassThresholds): void {
  if (db.prepare('UPDATE project SET label_threshold = ? WHERE id = 1').run(thresholds.score).changes !== 1) {
    throw new Error('The label threshold was not written.')
  }
  db.prepare('DELETE FROM class_label_thresholds').run()
  const insert = db.prepare('INSERT INTO class_label_thresholds (class_id, score) VALUES (?, ?)')
  for (const [classId, score] of thresholds.perClass) insert.run(classId, score)
}

/** The operating point stored with a run's model config (`{ config: { labelThreshold } }`), if any. */
interface StoredOperatingPoint {
  config?: { labelThreshold?: { score?: unknown; perClass?: unknown } }
}

/**
 * A run's model operating point, with class names mapped to this project's class ids (a merged
 * class counts as the class it went into). Runs made before models had one use 0.5.
 */
export function runModelThresholds(db: SqliteDatabase, runId: number): ClassThresholds {
  const json = db.prepare('SELECT model_config FROM runs WHERE id = ?').pluck().get(runId) as string | undefined
  const stored = (json === undefined ? {} : JSON.parse(json)) as StoredOperatingPoint
  return operatingPointThresholds(db, stored.config?.labelThreshold)
}

/**
 * A model config's operating point (`labelThreshold`: a score and scores by class name) with
 * class names mapped to this project's class ids; names the project lacks are left out.
 */
export function operatingPointThresholds(db: SqliteDatabase, point: { score?: unknown; perClass?: unknown } | undefined): ClassThresholds {
  const score = typeof point?.score === 'number' ? point.score : FALLBACK_LABEL_THRESHOLD
  const perClass = new Map<number, number>()
  if (point?.perClass && typeof point.perClass === 'object') {
    const classId = db.prepare('SELECT coalesce(merged_into, id) FROM classes WHERE name = ?').pluck()
    for (const [name, value] of Object.entries(point.perClass as Record<string, unknown>)) {
      const id = classId.get(name) as number | undefined
      if (id !== undefined && typeof value === 'number') perClass.set(id, value)
    }
  }
  return { score, perClass }
}

/** The newest run, whose model's operating point the project follows until it has thresholds of its own. */
export function latestRunId(db: SqliteDatabase): number | undefined {
  return (db.prepare('SELECT max(id) FROM runs').pluck().get() as number | null) ?? undefined
}

/**
 * The model default the project follows: the newest run's operating point; before any run, that
 * of the model the next run will use (`nextModelPoint`, its config's labelThreshold), else 0.5.
 */
export function modelDefaultThresholds(db: SqliteDatabase, nextModelPoint?: { score?: unknown; perClass?: unknown }): ClassThresholds {
  const runId = latestRunId(db)
  return runId === undefined ? operatingPointThresholds(db, nextModelPoint) : runModelThresholds(db, runId)
}

/** The thresholds that decide which detections of `runId` become labels: the project's, else that run's model's. */
export function effectiveThresholdsForRun(db: SqliteDatabase, runId: number): ClassThresholds {
  return findProjectLabelThresholds(db) ?? runModelThresholds(db, runId)
}

/**
 * `effectiveThresholdsForRun` for many runs in one pass over the project: the project's
 * thresholds read once, each run's model operating point read once and kept.
 */
export function effectiveThresholdsByRun(db: SqliteDatabase): (runId: number) => ClassThresholds {
  const project = findProjectLabelThresholds(db)
  if (project) return () => project
  const byRun = new Map<number, ClassThresholds>()
  return (runId) => {
    let found = byRun.get(runId)
    if (!found) byRun.set(runId, (found = runModelThresholds(db, runId)))
    return found
  }
}
