import type { RunScope, RunState, RunSummary } from '../../../src-shared/api/types'
import { isSaid } from '../../../src-shared/messages/said'
import type { ProviderName, ProviderRequest, SkippedProvider } from '../detect/types'
import { AppError } from '../errors'
import type { SqliteDatabase } from './connection'
import { refreshImageUncertainty } from './image-uncertainty'

// A run's scope (`unprocessed`: images that are new or whose last attempt failed; `all`: every
// image present) and state, as the contract names them.
export type { RunScope, RunState }
// The engine's words for providers, as run records keep them.
export type { ProviderRequest }
export type ProviderUsed = ProviderName
/** A faster provider a run did not use, and why. */
export type RunSkippedProvider = SkippedProvider

/** What ran a run's model: the engine's ProviderReport has these fields. */
export interface RunProvider {
  used: ProviderUsed
  /** The device in words ("NVIDIA H200 through Vulkan", "CPU"), null when unknown. */
  device: string | null
  /** The skipped providers' reasons in one line, "CUDA: …; WebGPU: …", or null. */
  fallbackReason: string | null
  /** The same one by one, with their keys of the server catalogue where known. */
  skipped?: readonly RunSkippedProvider[]
}

export interface RunLabel {
  /** The model's label index. */
  labelIndex: number
  classId: number
}

export interface NewRun {
  /** The model file as the user chose it. */
  modelPath: string
  /** sha256 of the model file, lower-case hex. */
  modelSha256: string
  /** The resolved model config, stored as JSON so the run can be reproduced. */
  modelConfig: unknown
  providerRequested: ProviderRequest
  /** The model's decoder dropped detections scoring below this (not the label threshold). */
  decodeCutoff: number
  scope: RunScope
  /** Every label index the model can emit, mapped to a project class (see ensureClassesByName). */
  labels: readonly RunLabel[]
  startedAt: string
}

/** What a run has recorded so far; a RunSummary carries them beside the run's own fields. */
type RunCountFields = 'imagesDone' | 'imagesFailed' | 'detectionCount'

/** A run as the API shows it, less its counts: every field is a column of `runs` (see RUN_COLUMNS). */
export type RunFields = Omit<RunSummary, RunCountFields>

/** A run with what reproducing it needs: its model's hash and resolved config. */
export interface RunRecord extends RunFields {
  modelSha256: string
  modelConfig: unknown
}

/** The columns of `runs` under the contract's names, so rows come out as RunFields but for the providers skipped. */
const RUN_COLUMNS = `id, state, model_path AS modelPath, scope, decode_cutoff AS decodeCutoff,
  provider_requested AS providerRequested, provider_used AS providerUsed, provider_device AS providerDevice,
  provider_fallback_reason AS providerFallbackReason, provider_skipped_said AS providerSkippedSaid,
  started_at AS startedAt, finished_at AS finishedAt, error_message AS errorMessage`

/** `providerSkippedSaid`: JSON, the skipped providers' `said` in the order of the fallback reason (null where none). */
type RunRow = Omit<RunFields, 'providerSkipped'> & { providerSkippedSaid: string | null }

const SKIPPED_BY_TITLE: Record<string, RunSkippedProvider['provider']> = { CUDA: 'cuda', WebGPU: 'webgpu' }

/**
 * A stored fallback reason split by provider: "CUDA: <reason>; WebGPU: <reason>" as the engine
 * joins them. Runs recorded before WebGPU stored the CUDA reason alone, without its title.
 */
export function splitFallbackReason(reason: string | null): RunSkippedProvider[] {
  if (reason === null || reason === '') return []
  if (!/^(CUDA|WebGPU): /.test(reason)) return [{ provider: 'cuda', reason }]
  return reason.split(/; (?=(?:CUDA|WebGPU): )/).map((part) => {
    const colon = part.indexOf(': ')
    return { provider: SKIPPED_BY_TITLE[part.slice(0, colon)]!, reason: part.slice(colon + 2) }
  })
}

/** The stored keys put back beside their reasons; a file whose keys do not read as keys keeps the English reasons. */
function withSaid(skipped: RunSkippedProvider[], stored: string | null): RunSkippedProvider[] {
  if (stored === null) return skipped
  let keys: unknown
  try {
    keys = JSON.parse(stored)
  } catch {
    return skipped
  }
  if (!Array.isArray(keys) || keys.length !== skipped.length) return skipped
  return skipped.map((entry, index) => (isSaid(keys[index]) ? { ...entry, said: keys[index] } : entry))
}

function toRunFields<Row extends RunRow>(row: Row): Omit<Row, 'providerSkippedSaid'> & Pick<RunFields, 'providerSkipped'> {
  const { providerSkippedSaid, ...run } = row
  return { ...run, providerSkipped: withSaid(splitFallbackReason(run.providerFallbackReason), providerSkippedSaid) }
}

/** A run's row with its model's hash and config (JSON). */
type RecordRow = RunRow & { modelSha256: string; modelConfig: string }

function toRecord(row: RecordRow): RunRecord {
  return { ...toRunFields(row), modelConfig: JSON.parse(row.modelConfig) as unknown }
}

const sha256Pattern = /^[0-9a-f]{64}$/

/** Records a new run in state `running`, with its label mapping. Returns the run id. */
export function createRun(db: SqliteDatabase, run: NewRun): number {
  if (!sha256Pattern.test(run.modelSha256)) {
    throw new AppError('invalid-argument', 'The model hash must be a sha256 digest in lower-case hex.')
  }
  if (!(run.decodeCutoff >= 0 && run.decodeCutoff <= 1)) {
    throw new AppError('invalid-argument', `The decode cutoff must be between 0 and 1, not ${run.decodeCutoff}.`)
  }
  const labelIndexes = new Set(run.labels.map((label) => label.labelIndex))
  if (labelIndexes.size !== run.labels.length) {
    throw new AppError('invalid-argument', 'Each model label index may map to one class only.')
  }
  return db.transaction(() => {
    const result = db
      .prepare(
        `INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, decode_cutoff, scope,
                           state, started_at)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`,
      )
      .run(
        run.modelPath,
        run.modelSha256,
        JSON.stringify(run.modelConfig),
        run.providerRequested,
        run.decodeCutoff,
        run.scope,
        run.startedAt,
      )
    if (result.changes !== 1) throw new Error('The run was not written.')
    const runId = Number(result.lastInsertRowid)
    const insertLabel = db.prepare('INSERT INTO run_classes (run_id, label_index, class_id) VALUES (?, ?, ?)')
    for (const label of run.labels) insertLabel.run(runId, label.labelIndex, label.classId)
    return runId
  })()
}

const RECORD_COLUMNS = `${RUN_COLUMNS}, model_sha256 AS modelSha256, model_config AS modelConfig`

export function findRun(db: SqliteDatabase, runId: number): RunRecord | undefined {
  const row = db.prepare(`SELECT ${RECORD_COLUMNS} FROM runs WHERE id = ?`).get(runId) as RecordRow | undefined
  return row ? toRecord(row) : undefined
}

export function requireRun(db: SqliteDatabase, runId: number): RunRecord {
  const run = findRun(db, runId)
  if (!run) throw new AppError('not-found', { key: 'run.noSuchRun', values: { runId } })
  return run
}

/** Newest first. */
export function listRuns(db: SqliteDatabase): RunRecord[] {
  return (db.prepare(`SELECT ${RECORD_COLUMNS} FROM runs ORDER BY id DESC`).all() as RecordRow[]).map(toRecord)
}

/** The model label index -> class id mapping the run was started with. */
export function getRunLabels(db: SqliteDatabase, runId: number): Map<number, number> {
  const rows = db
    .prepare('SELECT label_index, class_id FROM run_classes WHERE run_id = ? ORDER BY label_index')
    .all(runId) as Array<{ label_index: number; class_id: number }>
  return new Map(rows.map((row) => [row.label_index, row.class_id]))
}

function storedSaid(skipped: readonly RunSkippedProvider[] | undefined): string | null {
  return skipped?.some((entry) => entry.said) ? JSON.stringify(skipped.map((entry) => entry.said ?? null)) : null
}

/** Which execution provider actually ran the model, on which device, and why faster ones were not used. */
export function setRunProvider(db: SqliteDatabase, runId: number, provider: RunProvider): void {
  const result = db
    .prepare('UPDATE runs SET provider_used = ?, provider_device = ?, provider_fallback_reason = ?, provider_skipped_said = ? WHERE id = ?')
    .run(provider.used, provider.device, provider.fallbackReason, storedSaid(provider.skipped), runId)
  if (result.changes !== 1) throw new AppError('not-found', { key: 'run.noSuchRun', values: { runId } })
}

export type RunEnding =
  | { state: 'done' | 'cancelled'; finishedAt: string }
  | { state: 'failed'; finishedAt: string; errorMessage: string }

/**
 * Ends a running run and frees its lease (see run-lease.ts). Ending a run that is not running
 * is refused, so a late cancel cannot hide a failure.
 */
export function finishRun(db: SqliteDatabase, runId: number, ending: RunEnding): void {
  const errorMessage = ending.state === 'failed' ? ending.errorMessage : null
  db.transaction(() => {
    const run = requireRun(db, runId)
    if (run.state !== 'running') {
      throw new AppError('conflict', { key: 'run.ended', values: { runId, state: run.state } })
    }
    const result = db
      .prepare(
        `UPDATE runs SET state = ?, error_message = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
         WHERE id = ? AND state = 'running'`,
      )
      .run(ending.state, errorMessage, ending.finishedAt, runId)
    if (result.changes !== 1) throw new Error(`Detection run ${runId} was not ended.`)
  })()
}

/** Puts a cancelled or failed run back to `running`, to process the images it has not finished. */
export function reopenRun(db: SqliteDatabase, runId: number): RunRecord {
  return db.transaction(() => {
    const run = requireRun(db, runId)
    if (run.state === 'done') throw new AppError('conflict', { key: 'run.finished', values: { runId } })
    if (run.state === 'running') return run
    const result = db
      .prepare(`UPDATE runs SET state = 'running', error_message = NULL, finished_at = NULL WHERE id = ?`)
      .run(runId)
    if (result.changes !== 1) throw new Error(`Detection run ${runId} was not reopened.`)
    return requireRun(db, runId)
  })()
}

/** Deletes a run with its detections and results. Labels that came from it stay, without their link. */
export function deleteRun(db: SqliteDatabase, runId: number): void {
  db.transaction(() => {
    const run = requireRun(db, runId)
    if (run.state === 'running') throw new AppError('conflict', { key: 'run.stillRunning', values: { runId } })
    if (db.prepare('DELETE FROM runs WHERE id = ?').run(runId).changes !== 1) {
      throw new Error(`Detection run ${runId} was not deleted.`)
    }
    // The images it finished now go by an older result, or none.
    refreshImageUncertainty(db)
  })()
}

/**
 * A run's record and its counts (images recorded, done or failed, how many failed, their
 * detections) in one query: the API's RunSummary. With `runId`, that run only.
 */
function selectRunSummaries(db: SqliteDatabase, runId?: number): RunSummary[] {
  const onlyRun = runId === undefined ? '' : 'WHERE run_id = @runId'
  const rows = db
    .prepare(
      `SELECT ${RUN_COLUMNS}, coalesce(counts.imagesDone, 0) AS imagesDone, coalesce(counts.imagesFailed, 0) AS imagesFailed,
              coalesce(counts.detectionCount, 0) AS detectionCount
       FROM runs LEFT JOIN (
         SELECT run_id, count(*) AS imagesDone, sum(state = 'error') AS imagesFailed, sum(detection_count) AS detectionCount
         FROM run_images ${onlyRun} GROUP BY run_id
       ) counts ON counts.run_id = runs.id
       ${runId === undefined ? '' : 'WHERE runs.id = @runId'}
       ORDER BY runs.id DESC`,
    )
    .all(runId === undefined ? {} : { runId }) as Array<RunRow & Pick<RunSummary, RunCountFields>>
  return rows.map(toRunFields)
}

/** The run as the API shows it, with its counts; undefined when there is no such run. */
export function readRunSummary(db: SqliteDatabase, runId: number): RunSummary | undefined {
  return selectRunSummaries(db, runId)[0]
}

/** Every run, newest first, each with its counts. */
export function listRunSummaries(db: SqliteDatabase): RunSummary[] {
  return selectRunSummaries(db)
}
