/** The image grid's records turned into the contract's GridImage; the other repositories return contract types themselves. */
import type { GridImage } from '@shared/api/types'
import type { ImageGridItem } from '../core/db/image-grid'

export function toGridImage(item: ImageGridItem): GridImage {
  const { format: _format, ...image } = item
  return image
}
