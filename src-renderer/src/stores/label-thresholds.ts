import { api } from '../api'
import { defineLabelThresholdsStore } from './define-label-thresholds-store'
import { shownProjectFile } from './shown-project-file'

/** The project's label threshold; see define-label-thresholds-store.ts. */
export const useLabelThresholdsStore = defineLabelThresholdsStore(api, shownProjectFile)
