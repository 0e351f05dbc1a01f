import { api } from '../api'
import { defineImageLabelCountsStore } from './define-image-label-counts-store'

/** Labels per class of the image on screen; see define-image-label-counts-store.ts. */
export const useImageLabelCountsStore = defineImageLabelCountsStore(api)
