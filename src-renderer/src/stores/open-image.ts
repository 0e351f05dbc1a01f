import { api } from '../api'
import { defineOpenImageById } from './define-open-image'
import { useImagePagesStore } from './image-pages'
import { useImageViewerStore } from './image-viewer'

/** Opens an image in the editor by id, clearing a filter that hides it; see define-open-image.ts. */
export const openImageById = defineOpenImageById(api, { useImagePages: useImagePagesStore, useViewer: useImageViewerStore })
