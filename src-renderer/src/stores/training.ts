import { api } from '../api'
import { defineTrainingStore } from './define-training-store'

export const useTrainingStore = defineTrainingStore(api)
