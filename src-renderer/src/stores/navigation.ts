import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ViewName = 'start' | 'project' | 'image'

/** Which view is on screen. A tiny store-driven switch instead of a router: there are no URLs to share. */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewName>('start')
  /** Index (in project order) of the image shown last, so the grid can return to it. */
  const lastImageIndex = ref<number | null>(null)

  function showStart(): void {
    view.value = 'start'
    lastImageIndex.value = null
  }

  function showProject(): void {
    view.value = 'project'
  }

  function showImage(index: number): void {
    lastImageIndex.value = index
    view.value = 'image'
  }

  return { view, lastImageIndex, showStart, showProject, showImage }
})
