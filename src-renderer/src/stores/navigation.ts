import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ViewName = 'start' | 'project' | 'image' | 'evaluation'

/** Where leaving the image view goes: the grid, or the evaluation that led to the image. */
export type ImageReturnView = 'project' | 'evaluation'

/** Which view is on screen. A tiny store-driven switch instead of a router: there are no URLs to share. */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewName>('start')
  /** Index (in project order) of the image shown last, so the grid can return to it. */
  const lastImageIndex = ref<number | null>(null)
  const imageReturnView = ref<ImageReturnView>('project')

  function showStart(): void {
    view.value = 'start'
    lastImageIndex.value = null
    imageReturnView.value = 'project'
  }

  function showProject(): void {
    view.value = 'project'
    imageReturnView.value = 'project'
  }

  function showEvaluation(): void {
    view.value = 'evaluation'
  }

  function showImage(index: number): void {
    lastImageIndex.value = index
    view.value = 'image'
  }

  /** The image view was opened from the evaluation: Esc and the back button return there. */
  function returnToEvaluationFromImage(): void {
    imageReturnView.value = 'evaluation'
  }

  function leaveImage(): void {
    if (imageReturnView.value === 'evaluation') showEvaluation()
    else showProject()
  }

  return { view, lastImageIndex, imageReturnView, showStart, showProject, showEvaluation, showImage, returnToEvaluationFromImage, leaveImage }
})
