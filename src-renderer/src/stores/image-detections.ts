import { api } from '../api'
import { useBoxVisibilityStore } from './box-visibility'
import { defineImageDetectionsStore } from './define-image-detections-store'

/** The detections of the image on screen; see define-image-detections-store.ts. */
export const useImageDetectionsStore = defineImageDetectionsStore(api, useBoxVisibilityStore)
