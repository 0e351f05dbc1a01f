import type { ApiEvent } from '@shared/api/events'
import type { GridImage, ProviderRequest, RunProgress, RunScope, RunSummary } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useNoticesStore } from './notices'
import { runComparisonOffer } from './run-comparison'
import { isRunEventOfAnotherProject, type ShownProjectFile } from './run-event-project'
import type { StoreClient } from './store-client'
import type { Message } from '../i18n/message'

/** How many failed images the runs panel lists; the grid's error filter shows them all. */
const FAILED_IMAGES_SHOWN = 50
/** Failures of one run tend to come in bursts; the list is read again once per burst. */
const FAILED_REFRESH_DELAY_MS = 300

/**
 * Detection runs of the open project: the one going on now (its progress as the events
 * report it), the ones before it, and the images the runs could not process.
 *
 * A run belongs to the project it was started in (issue 19, item 7). Run events of another
 * project are dropped, calls name the project they are meant for, and an answer that comes
 * back after another project is shown (a start that failed because the project was switched
 * as it began, say) is forgotten rather than shown in the wrong project.
 */
export function defineRunsStore(client: StoreClient, shownProjectFile: ShownProjectFile) {
  return defineStore('runs', () => {
    const notices = useNoticesStore()

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
    /**
     * The model the next run uses: a model this project trained (its path), or null for the
     * app's own model. The runs panel chooses it; the toolbar's "Run detection" uses it.
     */
    const chosenModel = ref<string | null>(null)

    const running = computed(() => activeRun.value?.state === 'running')
    /** The newest run that was cancelled or failed and can go on where it stopped. */
    const resumable = computed(() => {
      if (running.value) return null
      const newest = runs.value[0]
      return newest && (newest.state === 'cancelled' || newest.state === 'failed') ? newest : null
    })
    /** The run the panel describes: the running one, or else the newest. */
    const shownRun = computed(() => activeRun.value ?? runs.value[0] ?? null)
    /** The newest run, once done, and the earlier run of another model it can be compared with. */
    const comparison = computed(() => runComparisonOffer(runs.value))
    /** State of the run whose progress is shown. */
    const progressState = computed(() => {
      const runId = progress.value?.runId
      return runs.value.find((run) => run.id === runId)?.state ?? null
    })

    /** The project whose runs the state above holds. */
    let heldProject: string | null = null
    /** Counts clears: an answer to a call made before the latest clear belongs to another project. */
    let generation = 0
    /** Answers to list reads started before the latest one are dropped. */
    let readVersion = 0

    /** Whether an answer to a call made in generation `asked` may still change the state. */
    function stillShown(asked: number): boolean {
      return asked === generation && heldProject === shownProjectFile()
    }

    let stopListening: (() => void) | null = null

    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        if (!isRunEventOfAnotherProject(event, shownProjectFile)) follow(event)
      })
    }

    function follow(event: ApiEvent): void {
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
          notices.report(event.run.errorMessage, 'failures.runFailed', { runId: event.run.id })
        }
        // The classes store reads its list and counts again on `run.finished` by itself.
        void refreshFailed()
      }
    }

    function replaceRun(run: RunSummary): void {
      const others = runs.value.filter((existing) => existing.id !== run.id)
      runs.value = [run, ...others].sort((a, b) => b.id - a.id)
    }

    /** Reads everything again, e.g. when the project view opens (possibly mid-run, after a reload). */
    async function refresh(): Promise<void> {
      listen()
      // The view was left and another project opened since the state was read: start afresh.
      if (heldProject !== shownProjectFile()) clear()
      const asked = generation
      const version = ++readVersion
      try {
        const [list, active] = await Promise.all([client.call('runs.list', {}), client.call('runs.active', {})])
        if (!stillShown(asked) || version !== readVersion) return
        runs.value = list
        activeRun.value = active ? (list.find((run) => run.id === active.runId) ?? null) : null
        if (active || progress.value?.runId !== list[0]?.id) progress.value = active
      } catch (error) {
        if (stillShown(asked)) notices.report(error, 'failures.readRuns')
      }
      await refreshFailed()
    }

    async function refreshFailed(): Promise<void> {
      const asked = generation
      try {
        const page = await client.call('images.grid', {
          offset: 0,
          limit: FAILED_IMAGES_SHOWN,
          filter: { statuses: ['error'] },
        })
        if (!stillShown(asked)) return
        failedImages.value = Object.freeze(page.items)
        failedTotal.value = page.total
      } catch (error) {
        if (stillShown(asked)) notices.report(error, 'failures.listFailedImages')
      }
    }

    let failedTimer: ReturnType<typeof setTimeout> | null = null
    function refreshFailedSoon(): void {
      failedTimer ??= setTimeout(() => {
        failedTimer = null
        void refreshFailed()
      }, FAILED_REFRESH_DELAY_MS)
    }

    /**
     * Calls the main side for the shown project; a run it answers with becomes the active run.
     * When another project is shown by the time it answers, the answer (or its failure) is
     * about a project no longer on screen and is let go.
     */
    async function act(call: (projectFile: string) => Promise<RunSummary | null>, failure: Message): Promise<void> {
      const projectFile = shownProjectFile()
      if (busy.value || projectFile === null) return
      busy.value = true
      const asked = generation
      try {
        const run = await call(projectFile)
        if (run && stillShown(asked)) {
          activeRun.value = run
          replaceRun(run)
        }
      } catch (error) {
        if (stillShown(asked)) notices.report(error, failure.key, failure.values)
      } finally {
        if (asked === generation) busy.value = false
      }
    }

    /** A run of the chosen model (the app's own unless the runs panel chose a trained one). */
    function start(scope: RunScope, provider: ProviderRequest = 'auto'): Promise<void> {
      const modelPath = chosenModel.value
      if (modelPath === null) {
        return act((projectFile) => client.call('runs.start', { scope, provider, projectFile }), { key: 'failures.startRun' })
      }
      return act((projectFile) => client.call('runs.start', { scope, provider, modelPath, projectFile }), {
        key: 'failures.startRunWith',
        values: { model: modelPath },
      })
    }

    function chooseModel(modelPath: string | null): void {
      chosenModel.value = modelPath
    }

    function resume(runId: number): Promise<void> {
      return act((projectFile) => client.call('runs.resume', { runId, projectFile }), { key: 'failures.resumeRun', values: { runId } })
    }

    function cancel(): Promise<void> {
      const runId = activeRun.value?.id ?? progress.value?.runId
      if (runId === undefined) return Promise.resolve()
      return act(async (projectFile) => {
        await client.call('runs.cancel', { runId, projectFile })
        return null
      }, { key: 'failures.cancelRun', values: { runId } })
    }

    /**
     * A run of a model this project trained, started from the Improve panel. The model becomes
     * the choice for the runs that follow too (new images after a rescan, say), as the runs
     * panel then shows.
     */
    function startWithModel(scope: RunScope, modelPath: string, provider: ProviderRequest = 'auto'): Promise<void> {
      if (busy.value || shownProjectFile() === null) return Promise.resolve()
      chosenModel.value = modelPath
      return start(scope, provider)
    }

    /** A new project is open: nothing of the previous one's runs applies, and its calls on the way no longer hold the buttons. */
    function clear(): void {
      generation++
      heldProject = shownProjectFile()
      runs.value = []
      activeRun.value = null
      progress.value = null
      failedImages.value = []
      failedTotal.value = 0
      busy.value = false
      chosenModel.value = null // a trained model belongs to the project that trained it
      if (failedTimer) clearTimeout(failedTimer)
      failedTimer = null
    }

    return {
      runs,
      activeRun,
      progress,
      failedImages,
      failedTotal,
      busy,
      chosenModel,
      comparison,
      running,
      resumable,
      shownRun,
      progressState,
      refresh,
      refreshFailed,
      start,
      startWithModel,
      chooseModel,
      resume,
      cancel,
      clear,
    }
  })
}
