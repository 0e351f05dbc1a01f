import { api } from '../api'
import { useClassesStore } from './classes'
import { defineLabelImportStore } from './define-label-import-store'

export type { LabelImportRequest } from './define-label-import-store'

/** The label import dialog's state; see define-label-import-store.ts. */
export const useLabelImportStore = defineLabelImportStore(api, useClassesStore)
