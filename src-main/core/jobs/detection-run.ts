/**
 * A detection run over a project: the run row (model, hash, config, provider, parameters),
 * the model's labels mapped to the project's classes, the images of the run's scope streamed
 * through the detector, and their results committed in batches (see batched-result-writer.ts).
 * It runs in-process (CLI) or in a worker thread (see detection-worker.ts); a run that was
 * cancelled or interrupted is resumed with resumeDetectionRun and never records an image twice.
 * The runner holds the run's lease from start to end, so a second runner (another window or
 * command on the same project file) can neither resume it nor mark it interrupted meanwhile.
 */
import { resolve } from 'node:path'
import { ensureClassesByName } from '../db/classes-repository'
import type { SqliteDatabase } from '../db/connection'
import { claimRunLease, newLeaseOwner, releaseRunLease } from '../db/run-lease'
import { createRun, reopenRun, requireRun, setRunProvider, type RunRecord } from '../db/runs-repository'
import { openDetector, type Detector } from '../detect/detector'
import type { ModelConfig } from '../detect/types'
import { AppError } from '../errors'
import type { OpenProject } from '../projects/open-project'
import type { DetectionRunCallbacks, DetectionRunSettings, DetectionRunSummary } from './detection-run-types'
import { sha256OfFile } from './file-hash'
import { openProjectFile } from './project-file'
import { processRun } from './run-session'

/** What a run stores as its `model_config`: enough to reopen the same model on resume. */
interface StoredModelConfig {
  /** Absolute config path as given, or null for `<model>.json` beside the model. */
  configPath: string | null
  config: ModelConfig
}

/** Either a project file (opened for the run and closed after) or a project already open. */
export type ProjectTarget = string | OpenProject

export async function startDetectionRun(
  target: ProjectTarget,
  settings: DetectionRunSettings = {},
  callbacks: DetectionRunCallbacks = {},
): Promise<DetectionRunSummary> {
  return withProject(target, async (project) => {
    callbacks.signal?.throwIfAborted()
    const detector = await openDetector({
      modelPath: settings.modelPath,
      configPath: settings.configPath,
      provider: settings.provider,
      threads: settings.threads,
      decodeCutoff: settings.decodeCutoff,
    })
    try {
      const modelSha256 = await sha256OfFile(detector.model.path)
      const leaseOwner = newLeaseOwner()
      const runId = createRunFor(project, detector, settings, modelSha256, leaseOwner)
      try {
        return await processRun(project, detector, { runId, resumed: false, leaseOwner }, settings, callbacks)
      } finally {
        releaseQuietly(project.db, runId, leaseOwner)
      }
    } finally {
      await detector.close()
    }
  })
}

/** Continues a cancelled or interrupted run with the same model, config and threshold. */
export async function resumeDetectionRun(
  target: ProjectTarget,
  runId: number,
  settings: Pick<DetectionRunSettings, 'threads' | 'commitEveryImages' | 'commitEveryMs'> = {},
  callbacks: DetectionRunCallbacks = {},
): Promise<DetectionRunSummary> {
  return withProject(target, async (project) => {
    const run = requireRun(project.db, runId)
    if (run.state === 'done') throw new AppError('conflict', { key: 'run.finished', values: { runId } })
    // Claimed before the slow model load, so a run busy elsewhere is refused at once.
    const leaseOwner = newLeaseOwner()
    claimRunLease(project.db, runId, leaseOwner)
    try {
      return await resumeWithLease(project, run, leaseOwner, settings, callbacks)
    } finally {
      releaseQuietly(project.db, runId, leaseOwner)
    }
  })
}

async function resumeWithLease(
  project: OpenProject,
  run: RunRecord,
  leaseOwner: string,
  settings: Pick<DetectionRunSettings, 'threads' | 'commitEveryImages' | 'commitEveryMs'>,
  callbacks: DetectionRunCallbacks,
): Promise<DetectionRunSummary> {
  const runId = run.id
  const stored = run.modelConfig as StoredModelConfig
  const detector = await openDetector({
    modelPath: run.modelPath,
    configPath: stored.configPath ?? undefined,
    provider: run.providerRequested,
    threads: settings.threads,
    decodeCutoff: run.decodeCutoff,
  })
  try {
    if ((await sha256OfFile(detector.model.path)) !== run.modelSha256) {
      throw new AppError('conflict', { key: 'run.modelChanged', values: { runId, model: run.modelPath } })
    }
    if (JSON.stringify(detector.model.config) !== JSON.stringify(stored.config)) {
      throw new AppError('conflict', { key: 'run.configChanged', values: { runId } })
    }
    reopenRun(project.db, runId)
    setRunProvider(project.db, runId, detector.model.provider)
    return await processRun(project, detector, { runId, resumed: true, leaseOwner }, settings, callbacks)
  } finally {
    await detector.close()
  }
}

/** Ending the run already freed the lease; this covers a session that stopped without ending it. */
function releaseQuietly(db: SqliteDatabase, runId: number, leaseOwner: string): void {
  try {
    if (db.open) releaseRunLease(db, runId, leaseOwner)
  } catch {
    // The lease lapses on its own within a minute, or at once when this process is gone.
  }
}

async function withProject<T>(target: ProjectTarget, work: (project: OpenProject) => Promise<T>): Promise<T> {
  if (typeof target !== 'string') return work(target)
  const project = openProjectFile(resolve(target))
  try {
    return await work(project)
  } finally {
    project.close()
  }
}

/** Classes, run row, provider and lease in one transaction: a crash leaves either a complete run or none. */
function createRunFor(
  project: OpenProject,
  detector: Detector,
  settings: DetectionRunSettings,
  modelSha256: string,
  leaseOwner: string,
): number {
  const { db } = project
  const { config, provider, path } = detector.model
  const now = new Date().toISOString()
  const stored: StoredModelConfig = { configPath: settings.configPath ? resolve(settings.configPath) : null, config }
  return db.transaction(() => {
    const classIds = ensureClassesByName(db, config.classes.map((modelClass) => modelClass.name), now)
    const labels = config.classes.map((modelClass) => ({ labelIndex: modelClass.index, classId: classIds.get(modelClass.name.trim())! }))
    const runId = createRun(db, {
      modelPath: path,
      modelSha256,
      modelConfig: stored,
      providerRequested: provider.requested,
      decodeCutoff: config.postprocess.decodeCutoff,
      scope: settings.scope ?? 'unprocessed',
      labels,
      startedAt: now,
    })
    setRunProvider(db, runId, provider)
    claimRunLease(db, runId, leaseOwner)
    return runId
  })()
}
