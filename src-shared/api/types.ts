/** Plain data that crosses the API boundary. No class instances, no Dates: JSON-safe only. */

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
