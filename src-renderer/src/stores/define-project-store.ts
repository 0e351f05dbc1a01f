import type { ProjectSummary, RecentProject, RescanSummary, ScanSummary } from '@shared/api/types'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useNavigationStore } from './navigation'
import type { GridFilter } from './define-image-pages-store'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'
import type { Message } from '../i18n/message'

/** Longest wait between an `images.changed` or `labels.changed` event and the grid asking for fresh pages. */
const IMAGES_REFRESH_INTERVAL_MS = 400

export interface NewProjectRequest {
  imageFolder: string
  name?: string
}

/** What the project store asks of the grid's image pages when the open project changes. */
export interface ProjectImagePages {
  projectUuid: string
  filter: GridFilter
  readonly filterActive: boolean
  readonly total: number
  reset(imageCount: number): void
  invalidate(): void
}

/**
 * The open project, the recent-projects list, and the calls that change which project is open.
 * `useImagePages`: the grid's pages, reset or refreshed as the open project changes.
 */
export function defineProjectStore(client: StoreClient, useImagePages: () => ProjectImagePages) {
  return defineStore('project', () => {
    const notices = useNoticesStore()
    const navigation = useNavigationStore()
    const imagePages = useImagePages()

    const current = ref<ProjectSummary | null>(null)
    const recent = ref<RecentProject[]>([])
    /**
     * What the last scan of the open project's folder found: on creating it here, or a rescan.
     * Null once dismissed, and for projects opened from a file.
     */
    const lastScan = ref<ScanSummary | RescanSummary | null>(null)
    /** True while a create/open/close/rescan call is running, so buttons cannot fire twice. */
    const busy = ref(false)
    /** True while the open project's folder is rescanned (busy is true then too). */
    const rescanning = ref(false)
    /** Files examined so far while a project's folder is scanned; null when no scan runs. */
    const scanProgress = ref<{ examined: number; total: number } | null>(null)
    let stopListening: (() => void) | null = null

    function show(project: ProjectSummary | null): void {
      const sameProject = project !== null && current.value?.file === project.file
      if (!sameProject) lastScan.value = null
      current.value = project
      imagePages.projectUuid = project?.uuid ?? ''
      if (project === null) {
        imagePages.reset(0)
        navigation.showStart()
        return
      }
      if (!sameProject) {
        imagePages.filter = {}
        imagePages.reset(project.imageCount)
      } else if (imagePages.filterActive) imagePages.invalidate()
      else if (imagePages.total !== project.imageCount) imagePages.reset(project.imageCount)
      if (!sameProject || navigation.view === 'start') navigation.showProject()
    }

    async function refreshRecent(): Promise<void> {
      try {
        recent.value = await client.call('project.recent', {})
      } catch (error) {
        notices.report(error, 'failures.readRecent')
      }
    }

    /** At start-up: show the project the main side still has open (e.g. after a page reload). */
    async function restore(): Promise<void> {
      listen()
      try {
        show(await client.call('project.current', {}))
      } catch (error) {
        notices.report(error, 'failures.askOpenProject')
      }
      await refreshRecent()
    }

    async function run(action: () => Promise<ProjectSummary | null>, failure: Message): Promise<boolean> {
      if (busy.value) return false
      busy.value = true
      try {
        show(await action())
        return true
      } catch (error) {
        notices.report(error, failure.key, failure.values)
        return false
      } finally {
        busy.value = false
        scanProgress.value = null
        await refreshRecent()
      }
    }

    function create(request: NewProjectRequest): Promise<boolean> {
      const args = request.name ? { imageFolder: request.imageFolder, name: request.name } : { imageFolder: request.imageFolder }
      return run(async () => {
        const created = await client.call('project.create', args)
        const { scan, ...project } = created
        show(project)
        lastScan.value = scan
        return project
      }, { key: 'failures.createProject', values: { folder: request.imageFolder } })
    }

    function open(projectFile: string): Promise<boolean> {
      return run(() => client.call('project.open', { projectFile }), { key: 'failures.openProject', values: { file: projectFile } })
    }

    function close(): Promise<boolean> {
      return run(async () => {
        await client.call('project.close', {})
        return null
      }, { key: 'failures.closeProject' })
    }

    /**
     * Brings the open project up to date with its image folder: new files are added, changed
     * ones go back to "new", deleted ones are marked missing. The grid follows through the
     * project.changed / images.changed events the main side sends.
     */
    async function rescan(): Promise<boolean> {
      if (busy.value || !current.value) return false
      busy.value = true
      rescanning.value = true
      try {
        lastScan.value = await client.call('project.rescan', {})
        return true
      } catch (error) {
        notices.report(error, 'failures.rescan')
        return false
      } finally {
        busy.value = false
        rescanning.value = false
        scanProgress.value = null
      }
    }

    /** Native dialog (desktop only), titled in the window's language. Resolves to null when cancelled or unavailable. */
    async function pickPath(kind: 'folder' | 'project-file', title: string): Promise<string | null> {
      try {
        return await client.call('dialog.pickPath', { kind, title })
      } catch (error) {
        notices.report(error, 'failures.openFileDialog')
        return null
      }
    }

    /**
     * A run reports changed images many times a second; the grid refetches what it shows at
     * most this often, so scrolling stays smooth while results come in.
     */
    let invalidateTimer: ReturnType<typeof setTimeout> | null = null
    function invalidateImagesSoon(): void {
      invalidateTimer ??= setTimeout(() => {
        invalidateTimer = null
        if (current.value) imagePages.invalidate()
      }, IMAGES_REFRESH_INTERVAL_MS)
    }

    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        if (event.type === 'project.changed') show(event.project)
        // Label edits and review marks change the grid's label badges and status filter too.
        else if ((event.type === 'images.changed' || event.type === 'labels.changed') && current.value) invalidateImagesSoon()
        else if (event.type === 'job.progress' && event.job.kind === 'scan' && event.job.progress && busy.value) {
          scanProgress.value = { examined: event.job.progress.done, total: event.job.progress.total }
        }
      })
    }

    function dismissScanReport(): void {
      lastScan.value = null
    }

    return { current, recent, lastScan, busy, rescanning, scanProgress, restore, dismissScanReport, refreshRecent, create, open, close, rescan, pickPath }
  })
}
