import { api } from '../api'
import { defineEvaluationStore } from './define-evaluation-store'
import { defineEvaluationFocusStore } from './define-evaluation-focus-store'

/** The evaluation view's report and picks; see define-evaluation-store.ts. */
export const useEvaluationStore = defineEvaluationStore(api)
/** The images an evaluation led to, and the shown one's judged boxes; see define-evaluation-focus-store.ts. */
export const useEvaluationFocusStore = defineEvaluationFocusStore(api)
