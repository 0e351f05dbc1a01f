import { join } from 'node:path'
import type { Transport } from '@shared/api/types'
import { EventHub } from '../core/events/event-hub'
import { ThumbnailCache } from '../core/images/thumbnails'
import { ProjectService } from '../core/projects/project-service'
import { RecentProjects } from '../core/projects/recent-projects'

export type PathKind = 'folder' | 'project-file'

/** A native file dialog; only the Electron transport has one. */
export type PathPicker = (request: { kind: PathKind; title?: string | undefined }) => Promise<string | null>

export interface ApiContextOptions {
  appName?: string
  appVersion: string
  transport: Transport
  /** Where the recent-projects list and the thumbnail cache live. */
  userDataDir: string
  pickPath?: PathPicker
}

/** Everything the API handlers work with; one per process, shared by its transports. */
export interface ApiContext {
  appName: string
  appVersion: string
  transport: Transport
  userDataDir: string
  events: EventHub
  recent: RecentProjects
  projects: ProjectService
  thumbnails: ThumbnailCache
  pickPath?: PathPicker | undefined
}

export function createApiContext(options: ApiContextOptions): ApiContext {
  const events = new EventHub()
  const recent = new RecentProjects(options.userDataDir)
  return {
    appName: options.appName ?? 'Retina Workbench',
    appVersion: options.appVersion,
    transport: options.transport,
    userDataDir: options.userDataDir,
    events,
    recent,
    projects: new ProjectService({ appVersion: options.appVersion, recent, events }),
    thumbnails: new ThumbnailCache(join(options.userDataDir, 'thumbnails')),
    pickPath: options.pickPath,
  }
}

/** Closes the open project; call when the process shuts down. */
export function disposeApiContext(context: ApiContext): void {
  context.projects.dispose()
}
