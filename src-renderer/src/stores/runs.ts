import type { GridImage, ProviderName, RunProgress, RunScope, RunSummary } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api'
import { useClassesStore } from './classes'
import { useNoticesStore } from './notices'

/** How many failed images the runs panel lists; the grid's error filter shows them all. */
const FAILED_IMAGES_SHOWN = 50
/** Failures of one run tend to come in bursts; the list is read again once per burst. */
const FAILED_REFRESH_DELAY_MS = 300

/**
 * Detection runs of the open project: the one going on now (its progress as the events
 * report it), the ones before it, and the images the runs could not process.
 */
export const useRunsStore = defineStore('runs', () => {
  const notices = useNoticesStore()
  const classes = useClassesStore()

  const runs = ref<RunSummary[]>([])
  /** The running run, from `run.started`: its provider, device, and why faster providers are not used. */
  const activeRun = shallowRef<RunSummary | null>(null)
  /** Progress of the running run, or the last figures of the run that just ended (kept so the bar shows where it stopped). */
  const progress = shallowRef<RunProgress | null>(null)
  /** Images whose last run failed, in path order (the same order as the grid's error filter). */
  const failedImages = shallowRef<readonly GridImage[]>([])
  const failedTotal = ref(0)
  /** True while a start/resume/cancel call is on its way, so buttons cannot fire twice. */
  const busy = ref(false)

  const running = computed(() => activeRun.value?.state === 'running')
  /** The newest run that was cancelled or failed and can go on where it stopped. */
  const resumable = computed(() => {
    if (running.value) return null
    const newest = runs.value[0]
    return newest && (newest.state === 'cancelled' || newest.state === 'failed') ? newest : null
  })
  /** The run the panel describes: the running one, or else the newest. */
  const shownRun = computed(() => activeRun.value ?? runs.value[0] ?? null)
  /** State of the run whose progress is shown. */
  const progressState = computed(() => {
    const runId = progress.value?.runId
    return runs.value.find((run) => run.id === runId)?.state ?? null
  })

  let stopListening: (() => void) | null = null

  function listen(): void {
    stopListening ??= api.subscribe((event) => {
      if (event.type === 'run.started') {
        activeRun.value = event.run
        replaceRun(event.run)
      } else if (event.type === 'run.progress') {
        const previous = progress.value
        // Events can overtake each other; progress never goes backwards within a run.
        if (previous && previous.runId === event.progress.runId && previous.processed > event.progress.processed) return
        progress.value = event.progress
      } else if (event.type === 'run.imageFailed') {
        refreshFailedSoon()
      } else if (event.type === 'run.finished') {
        replaceRun(event.run)
        if (activeRun.value?.id === event.run.id) activeRun.value = null
        if (event.run.state === 'failed' && event.run.errorMessage) {
          notices.report(event.run.errorMessage, `Detection run ${event.run.id} failed`)
        }
        void refreshFailed()
        void classes.refresh()
      }
    })
  }

  function replaceRun(run: RunSummary): void {
    const others = runs.value.filter((existing) => existing.id !== run.id)
    runs.value = [run, ...others].sort((a, b) => b.id - a.id)
  }

  /** Reads everything again, e.g. when the project view opens (possibly mid-run, after a reload). */
  async function refresh(): Promise<void> {
    listen()
    try {
      const [list, active] = await Promise.all([api.call('runs.list', {}), api.call('runs.active', {})])
      runs.value = list
      activeRun.value = active ? (list.find((run) => run.id === active.runId) ?? null) : null
      if (active || progress.value?.runId !== list[0]?.id) progress.value = active
    } catch (error) {
      notices.report(error, 'Could not read the detection runs')
    }
    await refreshFailed()
  }

  async function refreshFailed(): Promise<void> {
    try {
      const page = await api.call('images.grid', {
        offset: 0,
        limit: FAILED_IMAGES_SHOWN,
        filter: { statuses: ['error'] },
      })
      failedImages.value = Object.freeze(page.items)
      failedTotal.value = page.total
    } catch (error) {
      notices.report(error, 'Could not list the images that failed')
    }
  }

  let failedTimer: ReturnType<typeof setTimeout> | null = null
  function refreshFailedSoon(): void {
    failedTimer ??= setTimeout(() => {
      failedTimer = null
      void refreshFailed()
    }, FAILED_REFRESH_DELAY_MS)
  }

  async function act(action: () => Promise<unknown>, failureContext: string): Promise<void> {
    if (busy.value) return
    busy.value = true
    try {
      await action()
    } catch (error) {
      notices.report(error, failureContext)
    } finally {
      busy.value = false
    }
  }

  function start(scope: RunScope, provider: ProviderName = 'auto'): Promise<void> {
    return act(async () => {
      const run = await api.call('runs.start', { scope, provider })
      activeRun.value = run
      replaceRun(run)
    }, 'Could not start the detection run')
  }

  function resume(runId: number): Promise<void> {
    return act(async () => {
      const run = await api.call('runs.resume', { runId })
      activeRun.value = run
      replaceRun(run)
    }, `Could not resume run ${runId}`)
  }

  function cancel(): Promise<void> {
    const runId = activeRun.value?.id ?? progress.value?.runId
    if (runId === undefined) return Promise.resolve()
    return act(() => api.call('runs.cancel', { runId }), `Could not cancel run ${runId}`)
  }

  /** A new project is open: nothing of the previous one's runs applies. */
  function clear(): void {
    runs.value = []
    activeRun.value = null
    progress.value = null
    failedImages.value = []
    failedTotal.value = 0
  }

  return {
    runs,
    activeRun,
    progress,
    failedImages,
    failedTotal,
    busy,
    running,
    resumable,
    shownRun,
    progressState,
    refresh,
    refreshFailed,
    start,
    resume,
    cancel,
    clear,
  }
})
