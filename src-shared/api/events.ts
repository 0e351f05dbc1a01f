import type { ProjectSummary } from './types'

/** Events pushed from the main side to every renderer (IPC `webContents.send`, or SSE over HTTP). */
export type ApiEvent =
  | { type: 'project.changed'; project: ProjectSummary | null }
  | { type: 'images.changed' }

export type ApiEventType = ApiEvent['type']
