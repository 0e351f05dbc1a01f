import type { DetectionBox } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { visibleDetections, type BoxVisibility } from '../viewer/box-visibility'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'

/**
 * The detections of the image on screen, and which of them the thresholds let through
 * (`useVisibility`: the viewer's box visibility settings). An answer for an image the viewer
 * has left is dropped.
 */
export function defineImageDetectionsStore(client: StoreClient, useVisibility: () => { visibility: BoxVisibility }) {
  return defineStore('image-detections', () => {
    const notices = useNoticesStore()
    const boxVisibility = useVisibility()

    const imageId = ref<number | null>(null)
    const runId = ref<number | null>(null)
    const detections = shallowRef<readonly DetectionBox[]>([])
    const visible = computed(() => visibleDetections(detections.value, boxVisibility.visibility))
    /** Detections per class id in this image, all and visible, for the class list. */
    const countsByClass = computed(() => {
      const counts = new Map<number, { total: number; visible: number }>()
      for (const detection of detections.value) {
        const entry = counts.get(detection.classId) ?? { total: 0, visible: 0 }
        entry.total++
        counts.set(detection.classId, entry)
      }
      for (const detection of visible.value) {
        const entry = counts.get(detection.classId)
        if (entry) entry.visible++
      }
      return counts
  })

  async function load(forImageId: number): Promise<void> {
    if (imageId.value !== forImageId) {
      imageId.value = forImageId
      runId.value = null
      detections.value = []
    }
    try {
      const result = await client.call('detections.forImage', { imageId: forImageId })
      if (imageId.value !== forImageId) return // the viewer moved on meanwhile
      runId.value = result.runId
      detections.value = Object.freeze(result.detections)
    } catch (error) {
      if (imageId.value === forImageId) notices.report(error, 'failures.readDetections')
    }
  }

  /** Reads the same image's detections again (a run has just processed it). */
  function reload(): Promise<void> {
    return imageId.value === null ? Promise.resolve() : load(imageId.value)
  }

  return { imageId, runId, detections, visible, countsByClass, load, reload }
  })
}
