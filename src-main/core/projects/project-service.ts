import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { realpath, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { CreatedProject, ProjectSummary, RescanSummary } from '@shared/api/types'
import { openDatabase, type SqliteDatabase } from '../db/connection'
import { migrate } from '../db/migrate'
import { projectMigrations } from '../db/migrations'
import { insertProject } from '../db/project-repository'
import { listExportFolders } from '../db/export-folders-repository'
import { markInterruptedRuns } from '../db/run-lease'
import { AppError } from '../errors'
import type { EventHub } from '../events/event-hub'
import { removeStaleExportFolders } from '../formats/export-temporary-folder'
import { rescanImageFolder, scanImageFolder } from '../images/scan'
import { JobRunner } from '../jobs/job-runner'
import type { ProjectWrites } from '../labels/project-writes'
import { OpenProject } from './open-project'
import { openProjectFile } from './open-project-file'
import {
  invalidImageRootReason,
  defaultProjectFile,
  defaultProjectName,
  requireAbsolutePath,
  toStoredImageRoot,
  withProjectExtension,
} from './project-paths'
import type { RecentProjects } from './recent-projects'

export interface CreateProjectRequest {
  imageFolder: string
  projectFile?: string | undefined
  name?: string | undefined
}

export interface ProjectServiceOptions {
  appVersion: string
  recent: RecentProjects
  events: EventHub
  /** Runs scans as jobs (progress, cancel); one of its own over `events` when left out. */
  jobs?: JobRunner
  /**
   * The open project's write queue: a rescan's write takes its turn there, behind a long write
   * in the write worker, instead of waiting on SQLite's lock on this thread. Written at once
   * when left out (nothing else writes the project then).
   */
  writes?: Pick<ProjectWrites, 'onThisThread'>
  /** Called once a project is open and announced. */
  onOpened?: (project: OpenProject) => void
  /** Called just before the open project is closed (closed, replaced, or the process quits). */
  onClosing?: (project: OpenProject) => void
}

/**
 * Owns the one project open in this process: creating, opening, closing, and telling
 * every transport when it changes.
 */
export class ProjectService {
  private openProject: OpenProject | null = null
  /**
   * Creates, opens and closes run one at a time: two at once (two tabs, two clients) would
   * each close the project the other had just opened, mid-call, and a close between an open's
   * activation and its summary would leave the open reading a closed database.
   */
  private switching: Promise<unknown> = Promise.resolve()

  private readonly jobs: JobRunner

  constructor(private readonly options: ProjectServiceOptions) {
    this.jobs = options.jobs ?? new JobRunner(options.events)
  }

  get current(): OpenProject | null {
    return this.openProject
  }

  requireOpen(): OpenProject {
    if (!this.openProject) throw new AppError('no-project', { key: 'project.noneOpen' })
    return this.openProject
  }

  create(request: CreateProjectRequest): Promise<CreatedProject> {
    return this.oneAtATime(() => this.createNow(request))
  }

  open(file: string): Promise<ProjectSummary> {
    return this.oneAtATime(() => this.openNow(file))
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = this.switching.then(work, work)
    this.switching = result.catch(() => undefined)
    return result
  }

  private async createNow(request: CreateProjectRequest): Promise<CreatedProject> {
    requireAbsolutePath(request.imageFolder, 'The image folder')
    if (request.projectFile !== undefined) requireAbsolutePath(request.projectFile, 'The project file')
    const imageFolder = resolve(request.imageFolder)
    await requireFolder(imageFolder)
    const rootProblem = invalidImageRootReason(imageFolder) ?? invalidImageRootReason(await realpath(imageFolder))
    if (rootProblem) throw new AppError('invalid-argument', `The image folder ${imageFolder} ${rootProblem}; choose the folder that holds your images.`)
    const projectFile = withProjectExtension(resolve(request.projectFile ?? defaultProjectFile(imageFolder)))
    await requireFolder(dirname(projectFile), 'The folder for the project file')

    // Creating the empty file with `wx` claims the name atomically: an existing project is
    // never overwritten, even by two creates racing each other.
    try {
      await writeFile(projectFile, '', { flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new AppError('conflict', { key: 'project.exists', values: { file: projectFile } })
      }
      throw error
    }

    let db: SqliteDatabase | undefined
    try {
      db = openDatabase(projectFile, { mustExist: true })
      migrate(db, projectMigrations)
      const record = {
        uuid: randomUUID(),
        name: request.name ?? defaultProjectName(imageFolder),
        createdAt: new Date().toISOString(),
        appVersion: this.options.appVersion,
        imageRoot: toStoredImageRoot(projectFile, imageFolder),
      }
      insertProject(db, record)
      const scanned = db
      const report = await this.scanJob({ key: 'jobs.readingImages', values: { folder: imageFolder } }, projectFile, (options) => scanImageFolder(scanned, imageFolder, options))
      const project = new OpenProject(projectFile, db, record, imageFolder)
      await this.activate(project)
      const { rowsWritten: _rowsWritten, ...scan } = report
      return { ...project.summary(), scan }
    } catch (error) {
      if (db?.open) db.close()
      await removeDatabaseFiles(projectFile)
      throw error
    }
  }

  private async openNow(file: string): Promise<ProjectSummary> {
    requireAbsolutePath(file, 'The project file')
    const projectFile = resolve(file)
    if (!existsSync(projectFile)) throw new AppError('not-found', { key: 'project.notFound', values: { file: projectFile } })
    const project = openProjectFile(projectFile)
    // Runs left `running` by a runner that is gone; a live one (this app's worker, a CLI) keeps its run.
    markInterruptedRuns(project.db)
    await this.activate(project)
    return project.summary()
  }

  /** Closes the open project once every create and open asked for before it has finished. */
  close(): Promise<void> {
    return this.oneAtATime(async () => this.closeNow())
  }

  private closeNow(): void {
    if (!this.openProject) return
    this.options.onClosing?.(this.openProject)
    this.openProject.close()
    this.openProject = null
    this.options.events.emit({ type: 'project.changed', project: null })
  }

  /** Closes the database without announcing it; for shutting the process down. */
  dispose(): void {
    if (this.openProject) this.options.onClosing?.(this.openProject)
    this.openProject?.close()
    this.openProject = null
  }

  /**
   * A scan as a job: progress per file, and a cancel that stops it between files. A cancelled
   * scan is an AppError `cancelled` (a new project is then not created; a rescan, which writes
   * once at its end, writes nothing).
   */
  private async scanJob<T>(
    title: { key: 'jobs.readingImages' | 'jobs.rescanning'; values: { folder: string } },
    projectFile: string,
    scan: (options: { signal: AbortSignal; onProgress: (progress: { examined: number; total: number }) => void }) => Promise<T>,
  ): Promise<T> {
    return this.jobs.run({ kind: 'scan', title, projectFile, unit: 'files', cancellable: true }, async (job) => {
      try {
        return await scan({ signal: job.signal, onProgress: ({ examined, total }) => job.progress(examined, total) })
      } catch (error) {
        if (job.signal.aborted) throw new AppError('cancelled', { key: `${title.key}Cancelled`, values: title.values })
        throw error
      }
    })
  }

  /**
   * Brings the open project up to date with its image folder (see rescanImageFolder) and
   * tells every transport that images and the project summary changed.
   */
  async rescan(): Promise<RescanSummary> {
    const project = this.requireOpen()
    const { writes } = this.options
    const queueWrite = writes && (<T>(write: () => T) => writes.onThisThread(write))
    const report = await this.scanJob({ key: 'jobs.rescanning', values: { folder: project.imageRoot } }, project.file, (options) =>
      rescanImageFolder(project.db, project.imageRoot, { ...options, queueWrite }),
    )
    if (this.openProject === project) {
      this.options.events.emit({ type: 'project.changed', project: project.summary() })
      this.options.events.emit({ type: 'images.changed' })
    }
    return report
  }

  private async activate(project: OpenProject): Promise<void> {
    if (this.openProject) this.options.onClosing?.(this.openProject)
    this.openProject?.close()
    this.openProject = project
    const summary = project.summary()
    try {
      await this.options.recent.remember(project.file, summary.name)
    } catch (error) {
      // The project itself is fine; only the convenience list could not be saved.
      console.error('Could not update the recent projects list:', error)
    }
    this.options.events.emit({ type: 'project.changed', project: summary })
    this.options.events.emit({ type: 'images.changed' })
    this.options.onOpened?.(project)
    // What exports killed midway left beside their destinations, wherever those were.
    void removeStaleExportFolders(listExportFolders(project.db))
  }
}

async function requireFolder(folder: string, label = 'The image folder'): Promise<void> {
  let isDirectory: boolean
  try {
    isDirectory = (await stat(folder)).isDirectory()
  } catch {
    throw new AppError('not-found', `${label} ${folder} does not exist.`)
  }
  if (!isDirectory) throw new AppError('invalid-argument', `${label} ${folder} is not a folder.`)
}

async function removeDatabaseFiles(projectFile: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    await rm(`${projectFile}${suffix}`, { force: true })
  }
}
