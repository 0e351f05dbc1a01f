import { join } from 'node:path'
import type { Transport } from '@shared/api/types'
import { ProjectEvaluations } from '../core/evaluation/project-evaluations'
import { EventHub } from '../core/events/event-hub'
import { ThumbnailCache } from '../core/images/thumbnails'
import { JobRunner } from '../core/jobs/job-runner'
import { ProjectWrites } from '../core/labels/project-writes'
import { ProjectService } from '../core/projects/project-service'
import { RecentProjects } from '../core/projects/recent-projects'
import { RunManager } from './run-manager'

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
  /** The model of runs that do not name one; the bundled model by default. */
  defaultModelPath?: string | undefined
}

/** Everything the API handlers work with; one per process, shared by its transports. */
export interface ApiContext {
  appName: string
  appVersion: string
  transport: Transport
  userDataDir: string
  events: EventHub
  /** Scans, exports and imports: progress, cancel and `job.*` events for all of them. */
  jobs: JobRunner
  recent: RecentProjects
  projects: ProjectService
  thumbnails: ThumbnailCache
  runs: RunManager
  /** The open project's evaluation worker. */
  evaluations: ProjectEvaluations
  /** The open project's writes, one at a time; the long ones in a worker. */
  writes: ProjectWrites
  pickPath?: PathPicker | undefined
}

export function createApiContext(options: ApiContextOptions): ApiContext {
  const events = new EventHub()
  const jobs = new JobRunner(events)
  const recent = new RecentProjects(options.userDataDir)
  const evaluations = new ProjectEvaluations()
  const writes = new ProjectWrites()
  const projects: ProjectService = new ProjectService({
    appVersion: options.appVersion,
    recent,
    events,
    jobs,
    writes,
    onOpened: (project) => writes.warmUp(project),
    onClosing: (project) => {
      jobs.cancelProjectJobs(project.file)
      runs.stopRunOf(project.file)
      void evaluations.close()
      void writes.close()
    },
  })
  const runs = new RunManager({ events, jobs, projects: () => projects, defaultModelPath: options.defaultModelPath })
  return {
    appName: options.appName ?? 'Retina Workbench',
    appVersion: options.appVersion,
    transport: options.transport,
    userDataDir: options.userDataDir,
    events,
    jobs,
    recent,
    projects,
    runs,
    evaluations,
    writes,
    thumbnails: new ThumbnailCache(join(options.userDataDir, 'thumbnails')),
    pickPath: options.pickPath,
  }
}

/**
 * Asks a running detection run to stop and closes the open project; call when the process
 * shuts down. A run that cannot finish stopping is marked interrupted when its project is next
 * opened, and resuming it loses nothing that was saved.
 */
export function disposeApiContext(context: ApiContext): void {
  context.runs.dispose()
  context.projects.dispose()
  void context.evaluations.close()
  void context.writes.close()
}
