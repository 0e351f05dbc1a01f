import type { ProjectClass } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { createCoalescedRefresh, type RefreshTimers } from './coalesced-refresh'
import { useNoticesStore } from './notices'
import { isRunEventOfAnotherProject, type ShownProjectFile, showsNoProject, lostRaceWithClose } from './run-event-project'
import type { StoreClient } from './store-client'
import type { Message } from '../i18n/message'

/** Drawn for a class id the list does not (yet) know, e.g. between a run's first results and the next refresh. */
export const UNKNOWN_CLASS_COLOR = '#9aa0a6'

export interface MergeReport {
  from: string
  into: string
  labelsMoved: number
}

/** Longest wait between a `labels.changed` event and reading the class counts again. */
export const CLASS_COUNTS_REFRESH_MS = 500

/**
 * The open project's classes in the project's fixed order, with their colours and counts
 * (labels and detections apart), and the changes a labeler makes to the list: add, rename,
 * recolour, merge. Other windows' changes arrive as `classes.changed` events.
 */
export function defineClassesStore(client: StoreClient, timers?: RefreshTimers, shownProjectFile?: ShownProjectFile) {
  return defineStore('classes', () => {
    const notices = useNoticesStore()
    const classes = ref<ProjectClass[]>([])
    const byId = computed(() => new Map(classes.value.map((projectClass) => [projectClass.id, projectClass])))
    /** True while a create/update/merge call is on its way, so a button cannot fire twice. */
    const busy = ref(false)
    /** The last merge made here, for the panel to say what it did; the merged class is gone from the list. */
    const lastMerge = ref<MergeReport | null>(null)
    /** Answers to refreshes started before the latest one are dropped. */
    let refreshVersion = 0

    async function refresh(): Promise<void> {
      listen()
      const version = ++refreshVersion
      try {
        const list = await client.call('classes.list', {})
        if (version === refreshVersion) classes.value = [...list].sort((a, b) => a.order - b.order || a.id - b.id)
      } catch (error) {
        if (!lostRaceWithClose(error)) notices.report(error, 'failures.readClasses')
      }
    }

    const countsRefresh = createCoalescedRefresh(
      () => (showsNoProject(shownProjectFile) ? undefined : refresh()),
      CLASS_COUNTS_REFRESH_MS,
      timers,
    )
    let stopListening: (() => void) | null = null
    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        if (isRunEventOfAnotherProject(event, shownProjectFile)) return
        if (event.type === 'classes.changed') void refresh()
        else if (event.type === 'labels.changed' || event.type === 'run.finished') countsRefresh.request()
      })
    }

    /** Runs one change of the list; the answer's class replaces (or joins) the list at once. */
    async function change<T>(action: () => Promise<T>, failure: Message): Promise<T | null> {
      if (busy.value) return null
      busy.value = true
      try {
        const result = await action()
        await refresh()
        return result
      } catch (error) {
        notices.report(error, failure.key, failure.values)
        return null
      } finally {
        busy.value = false
      }
    }

    function create(name: string, color?: string): Promise<ProjectClass | null> {
      const args = color === undefined ? { name } : { name, color }
      return change(() => client.call('classes.create', args), { key: 'failures.addClass', values: { name: name.trim() } })
    }

    function rename(classId: number, name: string): Promise<ProjectClass | null> {
      return change(() => client.call('classes.update', { classId, name }), { key: 'failures.renameClass', values: { name: nameOf(classId) } })
    }

    function recolor(classId: number, color: string): Promise<ProjectClass | null> {
      return change(() => client.call('classes.update', { classId, color }), { key: 'failures.recolorClass', values: { name: nameOf(classId) } })
    }

    /** Moves every label of `classId` into `intoClassId`; resolves to how many moved (null on failure). */
    async function merge(classId: number, intoClassId: number): Promise<number | null> {
      const from = nameOf(classId)
      const into = nameOf(intoClassId)
      const outcome = await change(() => client.call('classes.merge', { classId, intoClassId }), { key: 'failures.mergeClass', values: { from, into } })
      if (outcome) lastMerge.value = { from, into, labelsMoved: outcome.labelsMoved }
      return outcome?.labelsMoved ?? null
    }

    function colorOf(classId: number): string {
      return byId.value.get(classId)?.color ?? UNKNOWN_CLASS_COLOR
    }

    function nameOf(classId: number): string {
      return byId.value.get(classId)?.name ?? `class ${classId}`
    }

    return { classes, byId, busy, lastMerge, refresh, create, rename, recolor, merge, colorOf, nameOf }
  })
}
