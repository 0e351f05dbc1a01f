/** Plain data that crosses the API boundary. No class instances, no Dates: JSON-safe only. */
import type { Said } from '../messages/said'

export type Transport = 'electron' | 'http'

export interface AppInfo {
  name: string
  version: string
  transport: Transport
  /** Native open/save dialogs exist only in the desktop app; the browser UI asks for paths as text. */
  canPickPaths: boolean
}

export interface ProjectSummary {
  /** Absolute path of the project's SQLite file. */
  file: string
  /** Stable identity of the project (image URLs include it, since image ids restart at 1 in every project). */
  uuid: string
  name: string
  /** Absolute path of the folder that image paths are relative to. */
  imageRoot: string
  imageCount: number
  /** ISO 8601. */
  createdAt: string
}

/** A file that looked like an image but could not be read while scanning. */
export interface SkippedImageFile {
  relativePath: string
  reason: string
}

/** What scanning the image folder found. */
export interface ScanSummary {
  imageCount: number
  /** Files that look like images but could not be decoded; they are left out. */
  skippedCount: number
  /** The first few skipped files, with the reason. */
  skipped: SkippedImageFile[]
}

/** What `project.rescan` found besides the images themselves. */
export interface RescanSummary extends ScanSummary {
  /** Images new to the project. */
  addedCount: number
  /** Known images whose file changed (size or modification time); they are back to status `new`. */
  changedCount: number
  /** Known images whose file is gone; they stay in the project, marked missing. */
  missingCount: number
  /** Images marked missing before that are back. */
  reappearedCount: number
}

/** The result of `project.create`: the new project plus what its first scan found. */
export interface CreatedProject extends ProjectSummary {
  scan: ScanSummary
}

export interface RecentProject {
  file: string
  name: string
  /** ISO 8601 time the project was last opened. */
  openedAt: string
  /** False when the file is gone since it was last opened. */
  exists: boolean
}

export interface ImageSummary {
  id: number
  /** Path relative to the project's image root, always with forward slashes. */
  relativePath: string
  /** Width and height as displayed, i.e. after EXIF orientation is applied. */
  width: number
  height: number
  fileSize: number
  mtimeMs: number
}

export interface ImagePage {
  total: number
  offset: number
  items: ImageSummary[]
}

// ---- Runs, detections and labels (project schema v2) ----

export type ImageStatus = 'new' | 'detected' | 'reviewed' | 'error'

/** A grid cell: the image plus its review state and current box count. */
export interface GridImage extends ImageSummary {
  status: ImageStatus
  /** Why the last run could not process the image; null unless status is `error`. */
  errorMessage: string | null
  /** The file was not found at the last scan. */
  missing: boolean
  /** Labels on the image (not detections). */
  labelCount: number
  /**
   * How unsure the model is about the image: its detections' doubts summed, each 1 when the
   * score sits exactly at its class's label threshold and 0 from 0.2 away; about how many boxes
   * the model could not decide. Null before any run finished the image.
   */
  uncertainty: number | null
}

/** The order the grid lists images in: by path, or the images the model is least sure about first. */
export type ImageOrder = 'path' | 'uncertainty'

export interface GridPage {
  total: number
  offset: number
  items: GridImage[]
}

export interface ProjectClass {
  /** Stable for the life of the project; a rename never renumbers. */
  id: number
  name: string
  /** `#rrggbb`. */
  color: string
  order: number
  /** Labels of this class in the project. */
  labelCount: number
  /** Detections of this class in the latest finished-or-running run of each image. */
  detectionCount: number
}

export interface ProjectStats {
  imagesByStatus: Record<ImageStatus, number>
  missingImages: number
  /** Labels in the project (what exports contain). */
  labelCount: number
  /** Detections of each image's latest run. */
  detectionCount: number
}

/** One raw model detection, in the displayed frame of the image, in pixels. */
export interface DetectionBox {
  id: number
  classId: number
  score: number
  box: [x1: number, y1: number, x2: number, y2: number]
}

export interface ImageDetections {
  imageId: number
  /** The run these detections come from (the image's latest); null when no run has processed it. */
  runId: number | null
  detections: DetectionBox[]
}

export type RunState = 'running' | 'done' | 'cancelled' | 'failed'
export type RunScope = 'unprocessed' | 'all'
/** The execution provider a run asks for: `auto` tries CUDA, then WebGPU on a real GPU, then the CPU. */
export type ProviderRequest = 'auto' | 'cuda' | 'webgpu' | 'cpu'
/** The execution provider a run's model runs on. */
export type ProviderUsed = 'cuda' | 'webgpu' | 'cpu'

/** The providers' names as people know them (UI, CLI and run records). */
export const PROVIDER_TITLES: Readonly<Record<ProviderUsed, string>> = { cuda: 'CUDA', webgpu: 'WebGPU', cpu: 'CPU' }

/** A faster provider a run did not use, and why: English `reason`, and where known `said` to word it in another language. */
export interface SkippedProvider {
  provider: 'cuda' | 'webgpu'
  reason: string
  said?: Said
}

export interface RunSummary {
  id: number
  state: RunState
  modelPath: string
  scope: RunScope
  /** The model's decoder dropped detections scoring below this; the label threshold is another thing. */
  decodeCutoff: number
  providerRequested: ProviderRequest
  /** Null until the model is loaded. */
  providerUsed: ProviderUsed | null
  /**
   * What the model runs on, in words: "NVIDIA H200 through Vulkan", "Mesa lavapipe (software
   * renderer, on the CPU) through Vulkan", "CPU". Null until the model is loaded, and for runs
   * recorded before the app kept it.
   */
  providerDevice: string | null
  /** The faster providers tried before the one in use, in order, each with why it was not used. */
  providerSkipped: SkippedProvider[]
  /** The same reasons in one line ("CUDA: …; WebGPU: …"); null when nothing was skipped. */
  providerFallbackReason: string | null
  startedAt: string
  /** When the run ended (done, cancelled or failed); null while it runs. The `runs.finished_at` column. */
  finishedAt: string | null
  errorMessage: string | null
  /** Images this run has recorded (done or error) and how many of them failed. */
  imagesDone: number
  imagesFailed: number
  detectionCount: number
}

export interface RunProgress {
  runId: number
  /** Images with a result (done or error), counting those recorded before a resume. */
  processed: number
  /** Of `processed`, how many are committed to the project file. */
  saved: number
  total: number
  errors: number
  detections: number
  /** Over this session of the run only (a resume starts a new rate). */
  imagesPerSecond: number
  /** Null while the rate is unknown. */
  etaSeconds: number | null
  /** The image whose result came last (relative path), null before the first. */
  currentFile: string | null
  /** The latest image error since the previous report. */
  lastError: { relativePath: string; message: string } | null
}
