import { api } from '../api'
import { defineProjectStore } from './define-project-store'
import { useImagePagesStore } from './image-pages'

export type { NewProjectRequest } from './define-project-store'

/** The open project and the recent-projects list; see define-project-store.ts. */
export const useProjectStore = defineProjectStore(api, useImagePagesStore)
