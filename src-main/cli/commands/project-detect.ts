/**
 * `project detect <project-file>`: a detection run over the project's images, results saved
 * in the project file as they come. Ctrl-C cancels after the images in flight and marks the
 * run cancelled; `--resume` continues a cancelled or interrupted run without redoing an image.
 */
import { listRuns, type ProviderRequest } from '../../core/db/runs-repository'
import type { DetectionRunProgress, DetectionRunStarted, DetectionRunSummary } from '../../core/jobs/detection-run-types'
import { resumeDetectionRun, startDetectionRun } from '../../core/jobs/detection-run'
import { openProjectFile } from '../../core/jobs/project-file'
import type { OpenProject } from '../../core/projects/open-project'
import { oneOf, optionalNumberIn, optionalScore, parseCommandLine, PROVIDERS } from '../arguments'
import { CliError, UsageError, type CliIo } from '../command'
import { createProgressReporter, formatDuration, type ProgressReporter } from '../progress'
import { countOf, describeProvider } from '../wording'

export const projectDetectHelp = `project detect <project-file> [options]
  Runs the detector over the project's images and saves detections, labels and image status
  in the project file, several images per transaction. By default only images that are new or
  failed last time are processed; labels a person drew, edited or reviewed are never replaced.
  Options:
    --model <file.onnx>     model to run (default: the bundled shapes model)
    --config <file.json>    model config (default: <model>.json beside the model)
    --provider <auto|cpu|cuda|webgpu>
                            execution provider; auto uses CUDA when it loads, else WebGPU on a
                            real GPU, else the CPU, and says why each was not used (default: auto)
    --all                   process every image, not only new and failed ones
    --score <s>             keep detections scoring at least s, 0 ≤ s < 1 (default: the model config's)
    --threads <n>           CPU threads for inference
    --resume                continue the newest unfinished run (or the one given with --run)
    --run <id>              the run --resume continues
    --commit-every <n>      most images saved per transaction (default 32)
    --log-commits           print a line each time results are saved to the project file
  Exit code 0 when the run completes (even if some images failed), 130 when cancelled.`

interface DetectArguments {
  projectFile: string
  model?: string
  config?: string
  provider: ProviderRequest
  all: boolean
  score?: number
  threads?: number
  resume: boolean
  runId?: number
  commitEvery?: number
  logCommits: boolean
}

export async function runProjectDetect(args: string[], io: CliIo): Promise<number> {
  const options = parseDetectArguments(args)
  const project = openProjectFile(options.projectFile)
  try {
    const resumeRunId = options.resume ? pickRunToResume(project, options.runId) : undefined
    if (resumeRunId === undefined) warnAboutUnfinishedRuns(project, io)
    const display = createRunDisplay(io, options.logCommits)
    const callbacks = { signal: io.signal, onStarted: display.started, onProgress: display.progress }
    const summary =
      resumeRunId === undefined
        ? await startDetectionRun(project, {
            modelPath: options.model,
            configPath: options.config,
            provider: options.provider,
            threads: options.threads,
            scope: options.all ? 'all' : 'unprocessed',
            decodeCutoff: options.score,
            commitEveryImages: options.commitEvery,
          }, callbacks)
        : await resumeDetectionRun(project, resumeRunId, { threads: options.threads, commitEveryImages: options.commitEvery }, callbacks)
    display.finish()
    printSummary(io, summary, options.projectFile)
    return summary.state === 'done' ? 0 : 130
  } finally {
    project.close()
  }
}

function parseDetectArguments(args: string[]): DetectArguments {
  const { values, positionals } = parseCommandLine(args, {
    model: { type: 'string' },
    config: { type: 'string' },
    provider: { type: 'string', default: 'auto' },
    all: { type: 'boolean', default: false },
    score: { type: 'string' },
    threads: { type: 'string' },
    resume: { type: 'boolean', default: false },
    run: { type: 'string' },
    'commit-every': { type: 'string' },
    'log-commits': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  })
  if (positionals.length !== 1) throw new UsageError('project detect takes exactly one project file')
  const provider: ProviderRequest = oneOf('--provider', values.provider, PROVIDERS)
  if (values.resume && (values.model || values.config || values.all || values.score || values.provider !== 'auto')) {
    throw new UsageError('--resume continues a run with its own model, config, scope and threshold; leave those options out')
  }
  if (values.run !== undefined && !values.resume) throw new UsageError('--run selects the run for --resume')
  return {
    projectFile: positionals[0]!,
    model: values.model,
    config: values.config,
    provider,
    all: values.all ?? false,
    score: optionalScore(values.score),
    threads: optionalNumberIn('--threads', values.threads, 1, 1024, true),
    resume: values.resume ?? false,
    runId: optionalNumberIn('--run', values.run, 1, Number.MAX_SAFE_INTEGER, true),
    commitEvery: optionalNumberIn('--commit-every', values['commit-every'], 1, 100_000, true),
    logCommits: values['log-commits'] ?? false,
  }
}

function pickRunToResume(project: OpenProject, runId: number | undefined): number {
  const runs = listRuns(project.db)
  if (runId !== undefined) {
    if (!runs.some((run) => run.id === runId)) throw new CliError(`this project has no detection run ${runId}`)
    return runId
  }
  const unfinished = runs.find((run) => run.state !== 'done')
  if (!unfinished) throw new CliError('there is no unfinished run to resume; start a new one without --resume')
  return unfinished.id
}

/** A run still marked running was interrupted (or is running elsewhere): say how to continue it. */
function warnAboutUnfinishedRuns(project: OpenProject, io: CliIo): void {
  const newest = listRuns(project.db)[0]
  if (newest && newest.state !== 'done') {
    io.stderr.write(`note: run ${newest.id} is ${newest.state === 'running' ? 'unfinished (interrupted?)' : newest.state}; \`--resume\` continues it\n`)
  }
}

interface RunDisplay {
  started(started: DetectionRunStarted): void
  progress(progress: DetectionRunProgress): void
  finish(): void
}

function createRunDisplay(io: CliIo, logCommits: boolean): RunDisplay {
  let reporter: ProgressReporter | null = null
  let offset = 0
  let lastSaved = -1
  let lastProcessed = -1
  return {
    started(started) {
      const provider = describeProvider({ used: started.providerUsed, device: started.providerDevice, skipped: started.providerSkipped })
      const resumed = started.resumed ? `resuming run ${started.runId} (${started.alreadyRecorded} of ${countOf(started.total, 'image')} done before)` : `run ${started.runId}`
      io.stderr.write(`${resumed}: ${countOf(started.total - started.alreadyRecorded, 'image')} to process with ${started.modelPath}\nprovider: ${provider}\n`)
      // The bar counts this session's images, so its rate and ETA are not inflated by earlier work.
      offset = started.alreadyRecorded
      lastSaved = started.alreadyRecorded
      reporter = createProgressReporter(io.stderr, started.total - started.alreadyRecorded)
    },
    progress(progress) {
      if (progress.lastError) reporter?.note(`failed: ${progress.lastError.relativePath}: ${progress.lastError.message}`)
      if (progress.processed !== lastProcessed) reporter?.update(progress.processed - offset, progress.errors)
      lastProcessed = progress.processed
      if (logCommits && progress.saved !== lastSaved) {
        lastSaved = progress.saved
        reporter?.note(`saved: ${progress.saved}/${progress.total} images`)
      }
    },
    finish() {
      reporter?.finish()
    },
  }
}

function printSummary(io: CliIo, summary: DetectionRunSummary, projectFile: string): void {
  const rate = summary.seconds > 0 ? ` (${(summary.processedThisSession / summary.seconds).toFixed(1)} images/s)` : ''
  const labels = `labels rebuilt on ${countOf(summary.labelledImages, 'image')}, kept on ${summary.keptPersonLabels} touched by a person`
  if (summary.state === 'cancelled') {
    io.stderr.write(
      `cancelled: run ${summary.runId} saved ${summary.processed} of ${summary.total} images; ` +
        `\`project detect ${projectFile} --resume\` continues it\n`,
    )
    return
  }
  io.stderr.write(
    `done: run ${summary.runId}, ${summary.processedThisSession} images in ${formatDuration(summary.seconds)}${rate}, ` +
      `${summary.errors} failed, ${summary.detections} detections; ${labels}\n`,
  )
}
