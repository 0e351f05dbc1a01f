import type { JobInfo, JobOutcome } from './job-types'
import type { LabelThresholds } from './label-types'
import type { ProjectSummary, RunProgress, RunSummary } from './types'

/** Events pushed from the main side to every renderer (IPC `webContents.send`, or SSE over HTTP). */
export type ApiEvent =
  | { type: 'project.changed'; project: ProjectSummary | null }
  /**
   * Image rows changed (scan, rescan, or results a run committed): refetch what is shown.
   * During a run at most about two a second, plus one when the run ends.
   */
  | { type: 'images.changed' }
  /**
   * Long work (a scan, an export, an import) started, went on, ended. `job.progress` comes at
   * most about ten a second, plus the first and the last; `job.finished` always ends a job, with
   * the reason in `message` when it failed. Each job names its project (see JobInfo).
   */
  | { type: 'job.started'; job: JobInfo }
  | { type: 'job.progress'; job: JobInfo }
  | { type: 'job.finished'; job: JobInfo; outcome: JobOutcome; message?: string }
  /**
   * A run started or resumed; `run.providerUsed` says whether CUDA, WebGPU or the CPU runs it,
   * `run.providerDevice` on what, and `run.providerSkipped` why the faster providers were not
   * used. Sent before `runs.start`/`runs.resume` return.
   *
   * Every run event names the project file the run belongs to (`ProjectSummary.file`): a run
   * goes on stopping after another project was opened, and a window showing that other
   * project drops the events of a run that is not its own.
   */
  | { type: 'run.started'; projectFile: string; run: RunSummary }
  /**
   * At most about ten a second while a run goes on; never goes backwards. The first comes right
   * after `run.started` (a resumed run starts at what it had recorded), the last has
   * `processed === total` unless the run was cancelled or failed.
   */
  | { type: 'run.progress'; projectFile: string; progress: RunProgress }
  /** One per image the run could not process, not throttled; the grid shows it as status `error`. */
  | { type: 'run.imageFailed'; projectFile: string; runId: number; relativePath: string; message: string }
  /**
   * Labels or review status of these images changed (an edit, undo, redo, review, import, a
   * class merge, or a label-threshold change). Every window receives it, so two windows on one
   * project see each other's edits. A run writing the labels of untouched images sends
   * `images.changed` instead (it names no images).
   */
  | {
      type: 'labels.changed'
      imageIds: number[]
      /** The `changeId` the caller gave the edit, undo or redo that made this change, if any. */
      changeId?: string
    }
  /**
   * The project's label thresholds were set (in any window, or by applying an evaluation's
   * suggestions); the new values come with it, so open threshold panels show them.
   */
  | { type: 'labelThresholds.changed'; thresholds: LabelThresholds }
  /** Classes were added, renamed, recoloured or merged. */
  | { type: 'classes.changed' }
  /** The run ended: done, cancelled or failed (with its message). Always the last event of a run. */
  | { type: 'run.finished'; projectFile: string; run: RunSummary }

export type ApiEventType = ApiEvent['type']
