import { api } from '../api'
import { defineRunsStore } from './define-runs-store'
import { shownProjectFile } from './shown-project-file'

/** Detection runs of the open project; see define-runs-store.ts. */
export const useRunsStore = defineRunsStore(api, shownProjectFile)
