import { api } from '../api'
import { useImagePagesStore } from './image-pages'
import { useImageViewerStore } from './image-viewer'
import { useNoticesStore } from './notices'

/**
 * Opens an image in the editor by id, wherever it stands in the grid's order. When the grid's
 * filter hides it, the filter is cleared first: the person asked for this image.
 */
export async function openImageById(imageId: number): Promise<boolean> {
  const imagePages = useImagePagesStore()
  const viewer = useImageViewerStore()
  try {
    let position = (await api.call('images.positionOf', { imageId, filter: imagePages.filter }))?.index ?? null
    if (position === null && imagePages.filterActive) {
      await imagePages.setFilter({})
      position = (await api.call('images.positionOf', { imageId }))?.index ?? null
    }
    if (position === null) {
      useNoticesStore().say('failures.imageGone', { imageId })
      return false
    }
    await viewer.open(position)
    return true
  } catch (error) {
    useNoticesStore().report(error, 'failures.openImage')
    return false
  }
}
