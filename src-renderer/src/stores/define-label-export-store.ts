import type { ApiArgs } from '@shared/api/methods'
import type { LabelExportPlan, LabelExportResult } from '@shared/api/transfer-types'
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { StoreClient } from './store-client'
import { saidTextOf, type SaidText } from '../i18n/words'

export type LabelExportRequest = ApiArgs<'labels.export'>
export type LabelExportPlanRequest = ApiArgs<'labels.planExport'>

/** The label export dialog: whether it is shown, the export going on, and what the last one wrote or why it failed. */
export function defineLabelExportStore(client: StoreClient) {
  return defineStore('label-export', () => {
    const open = ref(false)
    const running = ref(false)
    /** Images written of the export's total, from its `job.progress` events. */
    const progress = shallowRef<{ done: number; total: number } | null>(null)
    /** The export job this window started, once its `job.started` came. */
    let exportJobId: number | null = null
    const result = shallowRef<LabelExportResult | null>(null)
    /** Why the last export did not happen, in words a person can act on. */
    const error = ref<SaidText | null>(null)
    /** What the options chosen would export, counted before exporting; null until counted. */
    const plan = shallowRef<LabelExportPlan | null>(null)
    let planVersion = 0
    let stopListening: (() => void) | null = null

    function show(): void {
      stopListening ??= client.subscribe((event) => {
        if (!running.value || (event.type !== 'job.started' && event.type !== 'job.progress') || event.job.kind !== 'export') return
        // Exports run one at a time in the process: while this window's runs, this is it.
        exportJobId = event.job.id
        if (event.job.progress) progress.value = { done: event.job.progress.done, total: event.job.progress.total }
      })
      open.value = true
    }

    function hide(): void {
      if (running.value) return
      open.value = false
      result.value = null
      error.value = null
      progress.value = null
    }

    async function start(request: LabelExportRequest): Promise<void> {
      if (running.value) return
      running.value = true
      result.value = null
      error.value = null
      progress.value = null
      try {
        result.value = await client.call('labels.export', request)
      } catch (failure) {
        error.value = saidTextOf(failure)
      } finally {
        running.value = false
        exportJobId = null
      }
    }

    /** Counts what `request` would export; an older answer never replaces a newer one. */
    async function refreshPlan(request: LabelExportPlanRequest): Promise<void> {
      const version = ++planVersion
      try {
        const counted = await client.call('labels.planExport', request)
        if (version === planVersion) plan.value = counted
      } catch {
        // The export itself says what is wrong; the count is only a preview.
        if (version === planVersion) plan.value = null
      }
    }

    async function cancel(): Promise<void> {
      // Cancel pressed before the job's first event arrived: ask which export is going on.
      const jobId = exportJobId ?? (await client.call('jobs.active', {})).find((job) => job.kind === 'export')?.id
      if (jobId !== undefined) await client.call('jobs.cancel', { jobId })
    }

    return { open, running, progress, result, error, plan, show, hide, start, refreshPlan, cancel }
  })
}
