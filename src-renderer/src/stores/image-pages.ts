import { api } from '../api'
import { defineImagePagesStore } from './define-image-pages-store'

export { IMAGE_PAGE_SIZE, type GridFilter } from './define-image-pages-store'

/** The open project's images, a page at a time; see define-image-pages-store.ts. */
export const useImagePagesStore = defineImagePagesStore(api)
