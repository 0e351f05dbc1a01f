import { api } from '../api'
import { useBoxVisibilityStore } from './box-visibility'
import { useClassesStore } from './classes'
import { defineLabelEditorStore } from './define-label-editor-store'
import { useEvaluationFocusStore } from './evaluation'
import { useImageLabelCountsStore } from './image-label-counts'
import { useImagePagesStore } from './image-pages'
import { useImageViewerStore } from './image-viewer'
import { useSidePanelsStore } from './side-panels'

/** The image editor's labels, tools and actions; see define-label-editor-store.ts. */
export const useLabelEditorStore = defineLabelEditorStore(api, {
  useImagePages: useImagePagesStore,
  useViewer: useImageViewerStore,
  useEvaluationFocus: useEvaluationFocusStore,
  useClasses: useClassesStore,
  useBoxVisibility: useBoxVisibilityStore,
  useSidePanels: useSidePanelsStore,
  useImageLabelCounts: useImageLabelCountsStore,
})
