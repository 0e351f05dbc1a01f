import type { ProjectStats } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { createCoalescedRefresh, type RefreshTimers } from './coalesced-refresh'
import { useNoticesStore } from './notices'
import { isRunEventOfAnotherProject, lostRaceWithClose, type ShownProjectFile, showsNoProject } from './run-event-project'
import type { StoreClient } from './store-client'

/** Longest wait between a change event and reading the project's counts again. */
export const PROJECT_STATS_REFRESH_MS = 500

export interface ReviewProgress {
  reviewed: number
  images: number
}

/**
 * The open project's counters: images by status (the review counter), labels and detections.
 * Edits, runs and rescans send events in bursts; the counts are read again once per burst.
 */
export function defineProjectStatsStore(client: StoreClient, timers?: RefreshTimers, shownProjectFile?: ShownProjectFile) {
  return defineStore('project-stats', () => {
    const notices = useNoticesStore()
    const stats = shallowRef<ProjectStats | null>(null)
    const review = computed(() => (stats.value ? reviewProgress(stats.value) : null))
    let version = 0

    async function refresh(): Promise<void> {
      listen()
      const requested = ++version
      try {
        const read = await client.call('project.stats', {})
        if (requested === version) stats.value = read
      } catch (error) {
        if (requested === version && !lostRaceWithClose(error)) notices.report(error, 'failures.countProject')
      }
    }

    const refreshSoon = createCoalescedRefresh(
      () => (showsNoProject(shownProjectFile) ? undefined : refresh()),
      PROJECT_STATS_REFRESH_MS,
      timers,
    )
    let stopListening: (() => void) | null = null
    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        if (stats.value === null) return // no project shown yet: nothing to keep up to date
        if (isRunEventOfAnotherProject(event, shownProjectFile)) return
        if (event.type === 'labels.changed' || event.type === 'images.changed' || event.type === 'run.finished') {
          refreshSoon.request()
        }
      })
    }

    /** Another project opened (or none): forget the old counts. */
    function clear(): void {
      version++
      refreshSoon.cancel()
      stats.value = null
    }

    return { stats, review, refresh, clear }
  })
}

export function reviewProgress(stats: ProjectStats): ReviewProgress {
  const images = Object.values(stats.imagesByStatus).reduce((sum, count) => sum + count, 0)
  return { reviewed: stats.imagesByStatus.reviewed, images }
}


/** "1 label" / "2,000 labels". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? singular : plural}`
}
