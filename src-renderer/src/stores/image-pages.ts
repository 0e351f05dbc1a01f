import type { ImageSummary } from '@shared/api/types'
import { defineStore } from 'pinia'
import { ref, shallowReactive } from 'vue'
import { api } from '../api'
import { pagesCovering } from '../grid/grid-layout'
import { useNoticesStore } from './notices'

/** Images fetched per `images.list` call. */
export const IMAGE_PAGE_SIZE = 200

/**
 * The open project's images, fetched a page at a time as the grid or the viewer needs them.
 * Pages are frozen plain arrays in a shallow map: a project of 10,000 images costs one
 * reactive entry per loaded page, not one reactive object per image.
 */
export const useImagePagesStore = defineStore('image-pages', () => {
  const notices = useNoticesStore()
  const total = ref(0)
  const pages = shallowReactive(new Map<number, readonly ImageSummary[]>())
  const inFlight = new Map<number, Promise<void>>()
  /**
   * Bumped on reset: answers to requests made before it are dropped, and views watch it to
   * ask again for what they show.
   */
  const generation = ref(0)

  function reset(imageCount: number): void {
    generation.value++
    total.value = imageCount
    pages.clear()
    inFlight.clear()
  }

  function imageAt(index: number): ImageSummary | undefined {
    return pages.get(Math.floor(index / IMAGE_PAGE_SIZE))?.[index % IMAGE_PAGE_SIZE]
  }

  function loadPage(page: number): Promise<void> {
    if (pages.has(page)) return Promise.resolve()
    const pending = inFlight.get(page)
    if (pending) return pending
    const requestedFor = generation.value
    const request = api
      .call('images.list', { offset: page * IMAGE_PAGE_SIZE, limit: IMAGE_PAGE_SIZE })
      .then((result) => {
        if (requestedFor !== generation.value) return
        total.value = result.total
        pages.set(page, Object.freeze(result.items))
      })
      .catch((error: unknown) => {
        if (requestedFor === generation.value) notices.report(error, 'Could not list the images')
      })
      .finally(() => {
        if (requestedFor === generation.value) inFlight.delete(page)
      })
    inFlight.set(page, request)
    return request
  }

  /** Makes sure images `first..last` (inclusive) are loaded or on their way. */
  async function ensureRange(first: number, last: number): Promise<void> {
    const clippedLast = Math.min(last, total.value - 1)
    await Promise.all(pagesCovering(Math.max(0, first), clippedLast, IMAGE_PAGE_SIZE).map(loadPage))
  }

  async function load(index: number): Promise<ImageSummary | undefined> {
    await loadPage(Math.floor(index / IMAGE_PAGE_SIZE))
    return imageAt(index)
  }

  return {
    total,
    generation,
    reset,
    imageAt,
    ensureRange,
    load,
    thumbnailUrl: (imageId: number) => api.thumbnailUrl(imageId),
  }
})
