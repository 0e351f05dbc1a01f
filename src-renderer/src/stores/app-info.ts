import { api } from '../api'
import { defineAppInfoStore } from './define-app-info-store'

/** What the workbench says about itself; see define-app-info-store.ts. */
export const useAppInfoStore = defineAppInfoStore(api)
