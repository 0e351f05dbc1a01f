import type { GridFilter } from './define-image-pages-store'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'

/** What opening an image by id asks of the grid's image pages. */
export interface OpenImagePages {
  readonly filter: GridFilter
  readonly filterActive: boolean
  /** Shows every image again, keeping the grid's order. */
  clearFilter(): Promise<void>
}

/** What opening an image by id asks of the image view. */
export interface OpenImageViewer {
  open(index: number): Promise<void>
}

export interface OpenImageStores {
  useImagePages: () => OpenImagePages
  useViewer: () => OpenImageViewer
}

/**
 * Makes `openImageById`: opens an image in the editor by id, wherever it stands in the grid's
 * order. When the grid's filter hides it, the filter is cleared first: the person asked for this
 * image. Resolves to whether the image was opened; what went wrong becomes a notice.
 */
export function defineOpenImageById(client: StoreClient, stores: OpenImageStores): (imageId: number) => Promise<boolean> {
  return async (imageId) => {
    const imagePages = stores.useImagePages()
    const viewer = stores.useViewer()
    const notices = useNoticesStore()
    try {
      // The grid's filter goes whole, as the grid itself sends it, so the position is the grid's.
      let position = (await client.call('images.positionOf', { imageId, filter: imagePages.filter }))?.index ?? null
      if (position === null && imagePages.filterActive) {
        await imagePages.clearFilter()
        position = (await client.call('images.positionOf', { imageId, filter: imagePages.filter }))?.index ?? null
      }
      if (position === null) {
        notices.say('failures.imageGone', { imageId })
        return false
      }
      await viewer.open(position)
      return true
    } catch (error) {
      notices.report(error, 'failures.openImage')
      return false
    }
  }
}
