import { api } from '../api'
import { defineProjectStatsStore } from './define-project-stats-store'
import { shownProjectFile } from './shown-project-file'

/** The open project's counters; see define-project-stats-store.ts. */
export const useProjectStatsStore = defineProjectStatsStore(api, undefined, shownProjectFile)
