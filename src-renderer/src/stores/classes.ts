import { api } from '../api'
import { defineClassesStore } from './define-classes-store'
import { shownProjectFile } from './shown-project-file'

export { UNKNOWN_CLASS_COLOR } from './define-classes-store'

/** The open project's classes; see define-classes-store.ts. */
export const useClassesStore = defineClassesStore(api, undefined, shownProjectFile)
