import { api } from '../api'
import { defineJobsStore } from './define-jobs-store'

export const useJobsStore = defineJobsStore(api)
