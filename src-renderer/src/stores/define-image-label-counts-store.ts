import type { ImageLabels } from '@shared/api/label-types'
import type { DetectionBox } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { createCoalescedRefresh, type RefreshTimers } from './coalesced-refresh'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'

/** Longest wait between an edit of the image on screen and its class counts following. */
export const IMAGE_LABEL_COUNTS_REFRESH_MS = 150

/**
 * Labels and suggestions per class of the image on screen, for the class list ("3 labels on
 * this image"). While the label editor shows the image it hands over every state it shows
 * (`adopt`): the counts then follow each edit at once, and nothing is read again (the editor
 * itself follows other windows' edits and runs). Otherwise edits arrive as `labels.changed`
 * naming the image, and results a run saves as `images.changed`.
 */
export function defineImageLabelCountsStore(client: StoreClient, timers?: RefreshTimers) {
  return defineStore('image-label-counts', () => {
    const notices = useNoticesStore()
    const imageId = ref<number | null>(null)
    const labels = shallowRef<ImageLabels | null>(null)
    const labelsByClass = computed(() => countByClass(labels.value?.labels ?? []))
    const suggestions = computed<readonly DetectionBox[]>(() => labels.value?.suggestions ?? [])

    /** The label editor's labels for `imageId`, when it shows that image: they are the truth. */
    let followsEditor = false

    async function load(forImageId: number): Promise<void> {
      listen()
      if (imageId.value !== forImageId) {
        imageId.value = forImageId
        labels.value = null
        followsEditor = false
      }
      if (followsEditor) return
      try {
        const read = await client.call('labels.forImage', { imageId: forImageId })
        if (imageId.value === forImageId && !followsEditor) labels.value = Object.freeze(read)
      } catch (error) {
        if (imageId.value === forImageId) notices.report(error, 'failures.readLabels')
      }
    }

    function reload(): Promise<void> {
      return imageId.value === null ? Promise.resolve() : load(imageId.value)
    }

    /**
     * What the label editor shows of `forImageId` (edits included before their answers). Ignored
     * while the panel is on another image: the editor may still be finishing the previous one.
     */
    function adopt(forImageId: number, shown: ImageLabels): void {
      if (imageId.value !== forImageId) return
      followsEditor = true
      refreshSoon.cancel()
      labels.value = shown
    }

    function clear(): void {
      imageId.value = null
      labels.value = null
      followsEditor = false
      refreshSoon.cancel()
    }

    const refreshSoon = createCoalescedRefresh(
      (imageIds) => {
        if (imageId.value !== null && imageIds.has(imageId.value)) void reload()
      },
      IMAGE_LABEL_COUNTS_REFRESH_MS,
      timers,
    )
    let stopListening: (() => void) | null = null
    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        if (imageId.value === null || followsEditor) return
        if (event.type === 'labels.changed' && event.imageIds.includes(imageId.value)) refreshSoon.request(event.imageIds)
        // A merge moves labels between classes without naming images; a run saving results
        // (which may be this image's new labels) announces only that image rows changed.
        else if (event.type === 'classes.changed' || event.type === 'images.changed') refreshSoon.request([imageId.value])
      })
    }

    return { imageId, labels, labelsByClass, suggestions, load, reload, adopt, clear }
  })
}

export function countByClass(items: readonly { classId: number }[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const item of items) counts.set(item.classId, (counts.get(item.classId) ?? 0) + 1)
  return counts
}
