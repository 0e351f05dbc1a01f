/**
 * The detection run of the open project: at most one at a time, run off the main thread
 * (runInWorker), its progress relayed as events, cancelled when its project closes or the
 * process quits. The run's own worker writes the results through its own connection; this
 * side only reads the run row to describe it.
 *
 * A run belongs to the project file it was started in (issue 19, item 7): its events name that
 * file, it is described from that file even after another project was opened, and a start,
 * resume or cancel meant for a project that is no longer open is refused in plain words.
 */
import { statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { ProviderRequest, RunProgress, RunScope, RunSummary } from '@shared/api/types'
import type { SaidValues } from '@shared/messages/said'
import { openDatabase, type SqliteDatabase } from '../core/db/connection'
import { finishRun, readRunSummary, requireRun } from '../core/db/runs-repository'
import { defaultConfigPath, loadModelConfig } from '../core/detect/config'
import { BUNDLED_MODEL_FILE_NAME, BUNDLED_MODEL_PATH } from '../core/detect/detector'
import type { LabelThresholdConfig } from '../core/detect/types'
import { AppError } from '../core/errors'
import { requireAbsolutePath } from '../core/user-paths'
import type { EventHub } from '../core/events/event-hub'
import type { DetectionRunStarted, DetectionRunSummary } from '../core/jobs/detection-run-types'
import { runInWorker } from '../core/jobs/run-in-worker'
import type { JobRunner } from '../core/jobs/job-runner'
import type { DetectionJobRequest } from '../core/jobs/worker-protocol'
import type { OpenProject } from '../core/projects/open-project'
import type { ProjectService } from '../core/projects/project-service'
import { RunProgressRelay, type RunProgressRelayOptions } from './run-progress-relay'

export interface StartRunRequest {
  scope: RunScope
  decodeCutoff?: number | undefined
  provider?: ProviderRequest | undefined
  /** Overrides the default model for this run. */
  modelPath?: string | undefined
  /** The project the run is meant for; refused when another one is open. */
  projectFile?: string | undefined
}

export interface RunManagerOptions extends RunProgressRelayOptions {
  events: EventHub
  /** Each run is also a job there (the jobs tray's progress and Cancel); none when left out. */
  jobs?: JobRunner
  projects: () => ProjectService
  /** The model runs use unless they name one; the bundled model by default. */
  defaultModelPath?: string | undefined
}

interface ActiveRun {
  projectFile: string
  /** Known once the worker has created (or reopened) the run row. */
  runId: number | null
  /** The run as it was when it started; describes it if its project file cannot be read when it ends. */
  startedAs: RunSummary | null
  controller: AbortController
  relay: RunProgressRelay
  /** Resolves when the worker is gone and `run.finished` was sent; never rejects. */
  ended: Promise<void>
}

export class RunManager {
  /** The model of runs that do not name one (`serve --model`, RW_MODEL, or the bundled model). */
  defaultModelPath: string
  private active: ActiveRun | null = null
  /** The default model's operating point, read once per model path. */
  private operatingPoint: { path: string; config: Promise<LabelThresholdConfig | undefined> } | null = null

  constructor(private readonly options: RunManagerOptions) {
    this.defaultModelPath = options.defaultModelPath ?? BUNDLED_MODEL_PATH
  }

  async start(request: StartRunRequest): Promise<RunSummary> {
    const project = this.openProjectFor(
      request.projectFile,
      (file) => `${file} is no longer the open project, so no detection run was started. Open it again to run detection on it.`,
    )
    const modelPath = this.checkModel(request.modelPath)
    return this.launch(project, {
      kind: 'start',
      projectFile: project.file,
      settings: {
        modelPath,
        scope: request.scope,
        ...(request.decodeCutoff !== undefined ? { decodeCutoff: request.decodeCutoff } : {}),
        ...(request.provider !== undefined ? { provider: request.provider } : {}),
      },
    })
  }

  async resume(runId: number, projectFile?: string): Promise<RunSummary> {
    const project = this.openProjectFor(
      projectFile,
      (file) => `Detection run ${runId} belongs to ${file}, which is no longer the open project. Open it again to resume the run.`,
    )
    const run = requireRun(project.db, runId)
    if (this.active?.projectFile === project.file && this.active.runId === runId) {
      throw new AppError('conflict', { key: 'run.running', values: { runId } })
    }
    if (run.state === 'done') throw new AppError('conflict', { key: 'run.finished', values: { runId } })
    if (!isFile(run.modelPath)) {
      throw new AppError('not-found', { key: 'run.modelGone', values: { runId, model: run.modelPath } })
    }
    return this.launch(project, { kind: 'resume', projectFile: project.file, runId, settings: {} })
  }

  /** Stops the run within the images in flight and resolves once it has ended (cancelled). */
  async cancel(runId: number, projectFile?: string): Promise<void> {
    const project = this.openProjectFor(
      projectFile,
      (file) => `Detection run ${runId} belongs to ${file}, which is no longer the open project; its run stopped when it was closed.`,
    )
    const active = this.active
    if (!active || active.projectFile !== project.file || active.runId !== runId) {
      const run = requireRun(project.db, runId)
      throw new AppError('conflict', { key: 'run.notRunning', values: { runId, state: run.state } })
    }
    active.controller.abort()
    await active.ended
  }

  /** Progress of the open project's run, or null when none is going on. */
  activeProgress(): RunProgress | null {
    const project = this.options.projects().current
    const active = this.active
    if (!active || !project || active.projectFile !== project.file || active.runId === null) return null
    return active.relay.latest
  }

  /** Asks the run of this project file to stop (its project is closing); it ends as cancelled. */
  stopRunOf(projectFile: string): void {
    if (this.active?.projectFile === projectFile) this.active.controller.abort()
  }

  /** Asks any run to stop; for shutting the process down. */
  dispose(): void {
    this.active?.controller.abort()
  }

  /**
   * The operating point (config `labelThreshold`) of the model the next run will use, so a
   * project without runs shows the threshold its first run will apply. Undefined when the
   * model's config cannot be read (the run will say why).
   */
  async nextModelOperatingPoint(): Promise<LabelThresholdConfig | undefined> {
    const path = resolve(this.defaultModelPath)
    if (this.operatingPoint?.path !== path) {
      const config = loadModelConfig(defaultConfigPath(path)).then(
        (loaded) => loaded.labelThreshold,
        () => undefined,
      )
      this.operatingPoint = { path, config }
    }
    return this.operatingPoint.config
  }

  /** Resolves when no run is going on. */
  async idle(): Promise<void> {
    while (this.active) await this.active.ended
  }

  /**
   * The open project, or a `conflict` error when the caller meant another one: a window that
   * still shows a project another window (or a moment ago, itself) replaced.
   */
  private openProjectFor(projectFile: string | undefined, refusal: (file: string) => string): OpenProject {
    if (projectFile !== undefined && this.options.projects().current?.file !== resolve(projectFile)) {
      throw new AppError('conflict', refusal(resolve(projectFile)))
    }
    return this.options.projects().requireOpen()
  }

  /** Whether this project file is the open project (the instance that started a run may have been closed and opened again). */
  private isOpen(projectFile: string): boolean {
    const current = this.options.projects().current
    return current !== null && current.file === projectFile && current.db.open
  }

  /**
   * Works on the run's own project file: through the open project's connection when that is
   * the run's project, else through a short connection of its own (the project was closed or
   * replaced while the run ended), so a run is never looked up in another project's database.
   */
  private withRunDatabase<T>(projectFile: string, use: (db: SqliteDatabase) => T): T {
    const current = this.options.projects().current
    if (current && current.file === projectFile && current.db.open) return use(current.db)
    const db = openDatabase(projectFile, { mustExist: true })
    try {
      return use(db)
    } finally {
      db.close()
    }
  }

  /** The model file to use, or a `not-found` error that says which model is missing and what to do. */
  private checkModel(requested: string | undefined): string {
    if (requested !== undefined) requireAbsolutePath(requested, 'The model file')
    const modelPath = resolve(requested ?? this.defaultModelPath)
    if (isFile(modelPath)) return modelPath
    if (requested !== undefined) throw new AppError('not-found', { key: 'run.modelMissing', values: { model: modelPath } })
    if (basename(modelPath) === BUNDLED_MODEL_FILE_NAME) {
      throw new AppError(
        'not-found',
        `The bundled model is missing: ${modelPath}. Choose a model file for the run, or name one with RW_MODEL=<file.onnx> (or serve --model <file.onnx>).`,
      )
    }
    throw new AppError('not-found', { key: 'run.startModelMissing', values: { model: modelPath } })
  }

  private async launch(project: OpenProject, request: DetectionJobRequest): Promise<RunSummary> {
    const projects = this.options.projects()
    while (this.active) {
      if (this.active.projectFile === project.file) {
        const which = this.active.runId === null ? '' : ` (run ${this.active.runId})`
        throw new AppError('conflict', `A detection run is already going on in this project${which}. Wait for it or cancel it first.`)
      }
      // The run of a project closed a moment ago is still stopping; that takes at most one image.
      await this.active.ended
      if (projects.current !== project) throw projectClosedBeforeStart(project.file)
    }

    const { events } = this.options
    const projectFile = project.file
    const controller = new AbortController()
    const relay = new RunProgressRelay(
      projectFile,
      (event) => {
        // `images.changed` speaks of the open project's images; a run whose project was closed meanwhile changed none of them.
        if (event.type !== 'images.changed' || this.isOpen(projectFile)) events.emit(event)
      },
      this.options,
    )
    let markEnded!: () => void
    const active: ActiveRun = {
      projectFile,
      runId: null,
      startedAs: null,
      controller,
      relay,
      ended: new Promise((done) => (markEnded = done)),
    }
    this.active = active

    let announceStart!: (summary: RunSummary) => void
    let refuseStart!: (error: unknown) => void
    const started = new Promise<RunSummary>((resolveStart, rejectStart) => {
      announceStart = resolveStart
      refuseStart = rejectStart
    })

    const onStarted = (info: DetectionRunStarted) => {
      active.runId = info.runId
      if (!this.isOpen(projectFile)) {
        // Another project was opened (or this one closed) while the model loaded; closing it
        // asked the run to stop, and its row stays in its own file.
        refuseStart(
          new AppError(
            'conflict',
            `${projectFile} was closed while detection run ${info.runId} was starting, so the run stopped. It stays in that project, where it can be resumed.`,
          ),
        )
        return
      }
      let summary: RunSummary | undefined
      try {
        summary = this.describe(projectFile, info.runId)
      } catch (error) {
        console.error(`Could not read detection run ${info.runId}:`, error)
      }
      active.startedAs = summary ?? null
      if (summary) events.emit({ type: 'run.started', projectFile, run: summary })
      relay.push({
        runId: info.runId,
        processed: info.alreadyRecorded,
        saved: info.alreadyRecorded,
        total: info.total,
        errors: summary?.imagesFailed ?? 0,
        detections: summary?.detectionCount ?? 0,
        imagesPerSecond: 0,
        etaSeconds: info.total === info.alreadyRecorded ? 0 : null,
        currentFile: null,
        lastError: null,
      })
      if (summary) announceStart(summary)
      else refuseStart(new Error(`Detection run ${info.runId} started but its row could not be read.`))
    }

    const finish = (outcome: { summary: DetectionRunSummary } | { error: unknown }) => {
      const runId = active.runId
      try {
        if (runId === null) {
          // The worker reported no run: it failed before the start, or the project was closed (or the app quits) first.
          const reason = 'error' in outcome ? outcome.error : new Error('The run ended before it started.')
          refuseStart(controller.signal.aborted ? projectClosedBeforeStart(projectFile) : describeStartFailure(reason))
        } else {
          relay.finish()
          if ('error' in outcome) this.recordFailure(projectFile, runId, outcome.error)
          let summary: RunSummary | undefined
          try {
            summary = this.describe(projectFile, runId)
          } catch (error) {
            console.error(`Could not read detection run ${runId} from ${projectFile}:`, error)
          }
          events.emit({ type: 'run.finished', projectFile, run: summary ?? describeEndedElsewhere(active.startedAs, runId, outcome) })
        }
      } finally {
        // Whatever happened, the slot is free again and waiters go on.
        if (this.active === active) this.active = null
        markEnded()
      }
    }

    let ended: { summary: DetectionRunSummary } | { error: unknown } | undefined
    const job = this.runAsJob(request, projectFile, controller, active.ended, () => ended)
    runInWorker(request, {
      signal: controller.signal,
      onStarted,
      onProgress: (progress) => {
        relay.push(progress)
        job.progress(progress.processed, progress.total)
      },
    }).then(
      (summary) => finish((ended = { summary })),
      (error: unknown) => finish((ended = { error })),
    )
    return started
  }

  /**
   * The run as a job: its progress in images, and a Cancel that stops it as `runs.cancel` does.
   * The job ends with the run: done, cancelled (from here, or because its project closed), or failed.
   */
  private runAsJob(
    request: DetectionJobRequest,
    projectFile: string,
    controller: AbortController,
    runEnded: Promise<void>,
    outcome: () => { summary: DetectionRunSummary } | { error: unknown } | undefined,
  ): { progress(done: number, total: number): void } {
    const jobs = this.options.jobs
    if (!jobs) return { progress: () => undefined }
    const title: { key: 'jobs.resumingRun' | 'jobs.detecting'; values: SaidValues } =
      request.kind === 'resume'
        ? { key: 'jobs.resumingRun', values: { runId: request.runId } }
        : { key: 'jobs.detecting', values: { model: basename(request.settings.modelPath ?? this.defaultModelPath) } }
    let report: (done: number, total: number) => void = () => undefined
    jobs
      .run({ kind: 'detection', title, projectFile, unit: 'images', cancellable: true }, async (job) => {
        job.signal.addEventListener('abort', () => controller.abort(), { once: true })
        report = (done, total) => job.progress(done, total)
        await runEnded
        const ended = outcome()
        if (ended && 'error' in ended) throw ended.error
        if (ended?.summary.state === 'cancelled') throw new AppError('cancelled', { key: `${title.key}Cancelled`, values: title.values })
      })
      .catch(() => undefined) // the job's end is told by job.finished; the run's by run.finished
    return { progress: (done, total) => report(done, total) }
  }

  /** The run as its own project file has it. */
  private describe(projectFile: string, runId: number): RunSummary | undefined {
    return this.withRunDatabase(projectFile, (db) => readRunSummary(db, runId))
  }

  /** A worker that died without ending its run (a crash) leaves it running; end it as failed, in its own file. */
  private recordFailure(projectFile: string, runId: number, error: unknown): void {
    try {
      this.withRunDatabase(projectFile, (db) => {
        if (requireRun(db, runId).state !== 'running') return
        finishRun(db, runId, { state: 'failed', finishedAt: new Date().toISOString(), errorMessage: messageOf(error) })
      })
    } catch (failure) {
      console.error(`Could not mark detection run ${runId} as failed:`, failure)
    }
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)) || 'The run failed.'
}

function projectClosedBeforeStart(projectFile: string): AppError {
  return new AppError('conflict', { key: 'project.closedBeforeRun', values: { file: projectFile } })
}

/** A failure before the run row existed: almost always the model (file, config or provider). */
function describeStartFailure(error: unknown): AppError {
  if (error instanceof AppError) return error
  return new AppError('invalid-argument', `The detection run could not start: ${messageOf(error)}`)
}

/** `run.finished` for a run whose project file could not be read at its end: what the worker said, without the database. */
function describeEndedElsewhere(
  startedAs: RunSummary | null,
  runId: number,
  outcome: { summary: DetectionRunSummary } | { error: unknown },
): RunSummary {
  const summary = 'summary' in outcome ? outcome.summary : undefined
  return {
    id: runId,
    state: summary?.state ?? 'failed',
    modelPath: startedAs?.modelPath ?? '',
    scope: startedAs?.scope ?? 'unprocessed',
    decodeCutoff: startedAs?.decodeCutoff ?? 0,
    providerRequested: startedAs?.providerRequested ?? 'auto',
    providerUsed: summary?.providerUsed ?? startedAs?.providerUsed ?? null,
    providerDevice: summary?.providerDevice ?? startedAs?.providerDevice ?? null,
    providerSkipped: summary?.providerSkipped ?? startedAs?.providerSkipped ?? [],
    providerFallbackReason: summary?.providerFallbackReason ?? startedAs?.providerFallbackReason ?? null,
    startedAt: startedAs?.startedAt ?? '',
    finishedAt: new Date().toISOString(),
    errorMessage: 'error' in outcome ? messageOf(outcome.error) : null,
    imagesDone: summary?.processed ?? 0,
    imagesFailed: summary?.errors ?? 0,
    detectionCount: summary?.detections ?? 0,
  }
}
