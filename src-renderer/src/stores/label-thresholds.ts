import { api } from '../api'
import { defineLabelThresholdsStore } from './define-label-thresholds-store'

/** The project's label threshold; see define-label-thresholds-store.ts. */
export const useLabelThresholdsStore = defineLabelThresholdsStore(api)
