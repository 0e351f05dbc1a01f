import { api } from '../api'
import { defineProjectStatsStore } from './define-project-stats-store'

/** The open project's counters; see define-project-stats-store.ts. */
export const useProjectStatsStore = defineProjectStatsStore(api)
