/**
 * The shapes a detection run takes and reports, kept plain (no functions besides the two
 * callbacks) so the same request and progress cross a worker-thread boundary unchanged.
 */
import type { ProviderRequest, ProviderUsed, RunScope, RunSkippedProvider } from '../db/runs-repository'
import type { RunProgress } from '@shared/api/types'

export interface DetectionRunSettings {
  /** Defaults to the bundled model. */
  modelPath?: string
  /** Defaults to `<model>.json` beside the model. */
  configPath?: string
  provider?: ProviderRequest
  threads?: number
  /**
   * `unprocessed` (default): images that are new or whose last attempt failed, so images a run
   * already finished (by any model) and images a person reviewed are left alone. `all`: every
   * image whose file is present.
   */
  scope?: RunScope
  /** The decoder keeps detections at or above this score (default: the model config's); the label thresholds decide which become labels. */
  decodeCutoff?: number
  /** Most images written per transaction (default 32). */
  commitEveryImages?: number
  /** Longest time a finished image waits in memory before its transaction (default 250 ms). */
  commitEveryMs?: number
}

export interface DetectionRunCallbacks {
  /** Aborting stops the run after the images in flight; it ends as `cancelled`. */
  signal?: AbortSignal
  onProgress?: (progress: DetectionRunProgress) => void
  /** Called once the run row exists, before any image is processed. */
  onStarted?: (started: DetectionRunStarted) => void
}

export interface DetectionRunStarted {
  runId: number
  resumed: boolean
  modelPath: string
  providerUsed: ProviderUsed
  /** What the graph runs on, in words ("NVIDIA H200 through Vulkan", "CPU"); null when unknown. */
  providerDevice: string | null
  /** The faster providers passed by, in the order tried, each with its reason. */
  providerSkipped: RunSkippedProvider[]
  /** Those reasons in one line, as the run record keeps them. */
  providerFallbackReason: string | null
  /** Images of the run's scope, including those it recorded before a resume. */
  total: number
  /** Images recorded before this session (non-zero only when resuming). */
  alreadyRecorded: number
}

/** The run's progress as the API reports it (src-shared/api/types.ts `RunProgress`). */
export type DetectionRunProgress = RunProgress

export interface DetectionRunSummary {
  runId: number
  state: 'done' | 'cancelled'
  total: number
  processed: number
  /** Of `processed`, the images done in this session (all of them unless resumed). */
  processedThisSession: number
  errors: number
  detections: number
  /** Images whose labels were rebuilt from this run (nobody had touched them). */
  labelledImages: number
  /** Images whose labels were kept because a person had changed them. */
  keptPersonLabels: number
  seconds: number
  providerUsed: ProviderUsed
  /** What the graph runs on, in words ("NVIDIA H200 through Vulkan", "CPU"); null when unknown. */
  providerDevice: string | null
  /** The faster providers passed by, in the order tried, each with its reason. */
  providerSkipped: RunSkippedProvider[]
  /** Those reasons in one line, as the run record keeps them. */
  providerFallbackReason: string | null
}
