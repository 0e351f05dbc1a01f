import type { ApiArgs } from '@shared/api/methods'
import type { LabelImportOutcome, LabelImportPreview } from '@shared/api/transfer-types'
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { StoreClient } from './store-client'
import { saidTextOf, type SaidText } from '../i18n/words'

export type LabelImportRequest = ApiArgs<'labels.import'>

/**
 * The label import dialog: a preview of what the import will do (nothing written yet), then
 * the import itself, as one undo step. The classes store is refreshed after an import, which
 * may have created classes.
 */
export function defineLabelImportStore(client: StoreClient, useClasses: () => { refresh(): Promise<void> }) {
  return defineStore('label-import', () => {
    const classes = useClasses()
    const open = ref(false)
    const busy = ref(false)
    const preview = shallowRef<LabelImportPreview | null>(null)
    /** The request the preview answers; the import runs exactly this. */
    const previewed = shallowRef<LabelImportRequest | null>(null)
    const outcome = shallowRef<LabelImportOutcome | null>(null)
    const error = ref<SaidText | null>(null)

    function show(): void {
      open.value = true
    }

    function hide(): void {
      if (busy.value) return
      open.value = false
      forget()
    }

    function forget(): void {
      preview.value = null
      previewed.value = null
      outcome.value = null
      error.value = null
    }

    async function run<T>(action: () => Promise<T>): Promise<T | null> {
      if (busy.value) return null
      busy.value = true
      error.value = null
      try {
        return await action()
      } catch (failure) {
        error.value = saidTextOf(failure)
        return null
      } finally {
        busy.value = false
      }
    }

    async function check(request: LabelImportRequest): Promise<void> {
      forget()
      const result = await run(() => client.call('labels.planImport', request))
      if (result) {
        preview.value = result
        previewed.value = request
      }
    }

    /** Imports what was previewed; `addClasses` is the person's confirmation of the new classes. */
    async function importPreviewed(addClasses: boolean): Promise<void> {
      const request = previewed.value
      if (!request) return
      const result = await run(() => client.call('labels.import', { ...request, addClasses }))
      if (result) {
        outcome.value = result
        preview.value = null
        previewed.value = null
        void classes.refresh()
      }
    }

    return { open, busy, preview, outcome, error, show, hide, forget, check, importPreviewed }
  })
}
