import type { GridImage, ImageOrder, ImageStatus } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref, shallowReactive, shallowRef } from 'vue'
import type { Api } from '@shared/api/client'
import { pagesCovering } from '../grid/grid-layout'
import { useNoticesStore } from './notices'

/** Images fetched per `images.grid` call. */
export const IMAGE_PAGE_SIZE = 200

/**
 * What the grid shows, and in what order; empty means every image by path. Mirrors the
 * `images.grid` filter.
 */
export interface GridFilter {
  /** Default `path`; `uncertainty` lists the images the model is least sure about first. */
  order?: ImageOrder
  statuses?: ImageStatus[]
  hasErrors?: boolean
  classId?: number
}

/**
 * The open project's images (with status and label count), fetched a page at a time as the
 * grid or the viewer needs them, through the current filter. Pages are frozen plain arrays
 * in a shallow map: a project of 10,000 images costs one reactive entry per loaded page,
 * not one reactive object per image.
 */
export function defineImagePagesStore(client: Pick<Api, 'call' | 'imageUrl' | 'thumbnailUrl'>) {
  return defineStore('image-pages', () => {
    const notices = useNoticesStore()
    const total = ref(0)
    /** Uuid of the project these images belong to; part of every image URL (see imageVersion). */
    const projectUuid = ref('')
    const filter = shallowRef<GridFilter>({})
    const filterActive = computed(
      () => (filter.value.statuses?.length ?? 0) > 0 || filter.value.hasErrors === true || filter.value.classId !== undefined,
    )
    /** False between a filter change and the first answer, so views do not flash "nothing matches". */
    const counted = ref(true)
    const pages = shallowReactive(new Map<number, readonly GridImage[]>())
    /**
     * Pages whose content may be out of date (images changed on the main side). They stay on
     * screen and are fetched again only when something asks for them, so a refresh costs one
     * request per visible page and the grid does not blank or jump.
     */
    const stalePages = new Set<number>()
    const inFlight = new Map<number, Promise<void>>()
    /**
     * Bumped on reset and invalidate: answers to requests made before a reset are dropped, and
     * views watch it to ask again for what they show.
     */
    const generation = ref(0)
    /** Bumped on reset only; an answer from before the last reset is for another list. */
    let listVersion = 0

    function reset(imageCount: number): void {
      generation.value++
      listVersion++
      total.value = imageCount
      pages.clear()
      stalePages.clear()
      inFlight.clear()
    }

    /** The images changed (a run recorded results, a rescan): mark everything loaded as stale. */
    function invalidate(): void {
      for (const page of pages.keys()) stalePages.add(page)
      generation.value++
      // The first page also brings the new total, which may have changed even with nothing loaded.
      stalePages.add(0)
      void loadPage(0)
    }

    async function setFilter(next: GridFilter): Promise<void> {
      filter.value = next
      counted.value = false
      reset(0)
      await loadPage(0)
      counted.value = true
    }

    /** Shows every image again, in the order chosen: the order is a way of working, not a filter. */
    function clearFilter(): Promise<void> {
      const { order } = filter.value
      return setFilter(order === undefined ? {} : { order })
    }

    /** Lists the same images in another order. */
    function setOrder(order: ImageOrder): Promise<void> {
      const { order: _previous, ...conditions } = filter.value
      return setFilter(order === 'path' ? conditions : { ...conditions, order })
    }

    function imageAt(index: number): GridImage | undefined {
      return pages.get(Math.floor(index / IMAGE_PAGE_SIZE))?.[index % IMAGE_PAGE_SIZE]
    }

    function loadPage(page: number): Promise<void> {
      if (pages.has(page) && !stalePages.has(page)) return Promise.resolve()
      const pending = inFlight.get(page)
      if (pending) return pending
      const requestedFor = listVersion
      stalePages.delete(page)
      const request = client
        .call('images.grid', { offset: page * IMAGE_PAGE_SIZE, limit: IMAGE_PAGE_SIZE, filter: filter.value })
        .then((result) => {
          if (requestedFor !== listVersion) return
          total.value = result.total
          pages.set(page, Object.freeze(result.items))
        })
        .catch((error: unknown) => {
          if (requestedFor === listVersion) notices.report(error, 'failures.listImages')
        })
        .finally(() => {
          if (requestedFor === listVersion) inFlight.delete(page)
        })
      inFlight.set(page, request)
      return request
    }

    /** Makes sure images `first..last` (inclusive) are loaded or on their way. */
    async function ensureRange(first: number, last: number): Promise<void> {
      const clippedLast = Math.min(last, total.value - 1)
      await Promise.all(pagesCovering(Math.max(0, first), clippedLast, IMAGE_PAGE_SIZE).map(loadPage))
    }

    async function load(index: number): Promise<GridImage | undefined> {
      await loadPage(Math.floor(index / IMAGE_PAGE_SIZE))
      return imageAt(index)
    }

    return {
      total,
      filter,
      filterActive,
      counted,
      generation,
      reset,
      invalidate,
      setFilter,
      clearFilter,
      setOrder,
      imageAt,
      ensureRange,
      load,
      projectUuid,
      imageUrl: (image: GridImage) => client.imageUrl({ ...image, projectUuid: projectUuid.value }),
      thumbnailUrl: (image: GridImage) => client.thumbnailUrl({ ...image, projectUuid: projectUuid.value }),
    }
  })
}
