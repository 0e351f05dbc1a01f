import { api } from '../api'
import { defineLabelExportStore } from './define-label-export-store'

export type { LabelExportPlanRequest, LabelExportRequest } from './define-label-export-store'

/** The label export dialog's state; see define-label-export-store.ts. */
export const useLabelExportStore = defineLabelExportStore(api)
