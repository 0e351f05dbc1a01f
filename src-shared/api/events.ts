import type { ProjectSummary } from './types'

/** Events pushed from the main side to every renderer (IPC `webContents.send`, or SSE over HTTP). */
export type ApiEvent =
  | { type: 'project.changed'; project: ProjectSummary | null }
  | { type: 'images.changed' }
  /** While `project.create` scans its image folder: files looked at so far, of `total`. */
  | { type: 'scan.progress'; imageFolder: string; examined: number; total: number }

export type ApiEventType = ApiEvent['type']
