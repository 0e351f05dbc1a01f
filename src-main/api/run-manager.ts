/**
 * The detection run of the open project: at most one at a time, run off the main thread
 * (runInWorker), its progress relayed as events, cancelled when its project closes or the
 * process quits. The run's own worker writes the results through its own connection; this
 * side only reads the run row to describe it.
 */
import { statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { ProviderName, RunProgress, RunScope, RunSummary } from '@shared/api/types'
import { finishRun, requireRun } from '../core/db/runs-repository'
import { defaultConfigPath, loadModelConfig } from '../core/detect/config'
import { BUNDLED_MODEL_FILE_NAME, BUNDLED_MODEL_PATH } from '../core/detect/detector'
import type { LabelThresholdConfig } from '../core/detect/types'
import { AppError } from '../core/errors'
import { requireAbsolutePath } from '../core/user-paths'
import type { EventHub } from '../core/events/event-hub'
import type { DetectionRunStarted, DetectionRunSummary } from '../core/jobs/detection-run-types'
import { runInWorker } from '../core/jobs/run-in-worker'
import type { DetectionJobRequest } from '../core/jobs/worker-protocol'
import type { OpenProject } from '../core/projects/open-project'
import type { ProjectService } from '../core/projects/project-service'
import { readRunSummary } from './contract-mapping'
import { RunProgressRelay, type RunProgressRelayOptions } from './run-progress-relay'

export interface StartRunRequest {
  scope: RunScope
  scoreThreshold?: number | undefined
  provider?: ProviderName | undefined
  /** Overrides the default model for this run. */
  modelPath?: string | undefined
}

export interface RunManagerOptions extends RunProgressRelayOptions {
  events: EventHub
  projects: () => ProjectService
  /** The model runs use unless they name one; the bundled model by default. */
  defaultModelPath?: string | undefined
}

interface ActiveRun {
  projectFile: string
  /** Known once the worker has created (or reopened) the run row. */
  runId: number | null
  /** The run as it was when it started; describes it after its project was closed. */
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
    const project = this.options.projects().requireOpen()
    const modelPath = this.checkModel(request.modelPath)
    return this.launch(project, {
      kind: 'start',
      projectFile: project.file,
      settings: {
        modelPath,
        scope: request.scope,
        ...(request.scoreThreshold !== undefined ? { scoreThreshold: request.scoreThreshold } : {}),
        ...(request.provider !== undefined ? { provider: request.provider } : {}),
      },
    })
  }

  async resume(runId: number): Promise<RunSummary> {
    const project = this.options.projects().requireOpen()
    const run = requireRun(project.db, runId)
    if (this.active?.projectFile === project.file && this.active.runId === runId) {
      throw new AppError('conflict', `Detection run ${runId} is running already.`)
    }
    if (run.state === 'done') throw new AppError('conflict', `Detection run ${runId} finished every image already.`)
    if (!isFile(run.modelPath)) {
      throw new AppError('not-found', `The model of detection run ${runId} is gone: ${run.modelPath}. Start a new run instead.`)
    }
    return this.launch(project, { kind: 'resume', projectFile: project.file, runId, settings: {} })
  }

  /** Stops the run within the images in flight and resolves once it has ended (cancelled). */
  async cancel(runId: number): Promise<void> {
    const project = this.options.projects().requireOpen()
    const active = this.active
    if (!active || active.projectFile !== project.file || active.runId !== runId) {
      const run = requireRun(project.db, runId)
      throw new AppError('conflict', `Detection run ${runId} is not running (it is ${run.state}).`)
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

  /** The model file to use, or a `not-found` error that says which model is missing and what to do. */
  private checkModel(requested: string | undefined): string {
    if (requested !== undefined) requireAbsolutePath(requested, 'The model file')
    const modelPath = resolve(requested ?? this.defaultModelPath)
    if (isFile(modelPath)) return modelPath
    if (requested !== undefined) throw new AppError('not-found', `The model file does not exist: ${modelPath}.`)
    if (basename(modelPath) === BUNDLED_MODEL_FILE_NAME) {
      throw new AppError(
        'not-found',
        `The bundled model is missing: ${modelPath}. Choose a model file for the run, or name one with RW_MODEL=<file.onnx> (or serve --model <file.onnx>).`,
      )
    }
    throw new AppError('not-found', `The model this app was started with is missing: ${modelPath}.`)
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
      if (projects.current !== project) throw new AppError('no-project', 'The project was closed before the run could start.')
    }

    const { events } = this.options
    const controller = new AbortController()
    const relay = new RunProgressRelay((event) => events.emit(event), this.options)
    let markEnded!: () => void
    const active: ActiveRun = {
      projectFile: project.file,
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
      let summary: RunSummary | undefined
      try {
        summary = this.describe(project, info.runId)
      } catch (error) {
        console.error(`Could not read detection run ${info.runId}:`, error)
      }
      active.startedAs = summary ?? null
      if (summary) events.emit({ type: 'run.started', run: summary })
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
          refuseStart(describeStartFailure('error' in outcome ? outcome.error : new Error('The run ended before it started.')))
        } else {
          relay.finish()
          if ('error' in outcome) this.recordFailure(project, runId, outcome.error)
          let summary: RunSummary | undefined
          try {
            summary = this.describe(project, runId)
          } catch (error) {
            console.error(`Could not read detection run ${runId}:`, error)
          }
          events.emit({ type: 'run.finished', run: summary ?? describeEndedElsewhere(active.startedAs, runId, outcome) })
        }
      } finally {
        // Whatever happened, the slot is free again and waiters go on.
        if (this.active === active) this.active = null
        markEnded()
      }
    }

    runInWorker(request, { signal: controller.signal, onStarted, onProgress: (progress) => relay.push(progress) }).then(
      (summary) => finish({ summary }),
      (error: unknown) => finish({ error }),
    )
    return started
  }

  /** The run as the open project's database has it; undefined once that project is closed. */
  private describe(project: OpenProject, runId: number): RunSummary | undefined {
    if (this.options.projects().current !== project || !project.db.open) return undefined
    return readRunSummary(project.db, runId)
  }

  /** A worker that died without ending its run (a crash) leaves it running; end it as failed. */
  private recordFailure(project: OpenProject, runId: number, error: unknown): void {
    if (this.options.projects().current !== project || !project.db.open) return
    try {
      if (requireRun(project.db, runId).state !== 'running') return
      finishRun(project.db, runId, { state: 'failed', finishedAt: new Date().toISOString(), errorMessage: messageOf(error) })
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

/** A failure before the run row existed: almost always the model (file, config or provider). */
function describeStartFailure(error: unknown): AppError {
  if (error instanceof AppError) return error
  return new AppError('invalid-argument', `The detection run could not start: ${messageOf(error)}`)
}

/** `run.finished` for a run whose project was closed meanwhile: what the worker said, without the database. */
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
    scoreThreshold: startedAs?.scoreThreshold ?? 0,
    providerRequested: startedAs?.providerRequested ?? 'auto',
    providerUsed: summary?.providerUsed ?? startedAs?.providerUsed ?? null,
    providerDevice: summary?.providerDevice ?? startedAs?.providerDevice ?? null,
    providerSkipped: summary?.providerSkipped ?? startedAs?.providerSkipped ?? [],
    providerFallbackReason: summary?.providerFallbackReason ?? startedAs?.providerFallbackReason ?? null,
    startedAt: startedAs?.startedAt ?? '',
    endedAt: new Date().toISOString(),
    errorMessage: 'error' in outcome ? messageOf(outcome.error) : null,
    imagesDone: summary?.processed ?? 0,
    imagesFailed: summary?.errors ?? 0,
    detectionCount: summary?.detections ?? 0,
  }
}
