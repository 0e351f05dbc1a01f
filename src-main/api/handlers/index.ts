import type { ApiContext } from '../api-context'
import { createClassHandlers } from './class-handlers'
import { createEvaluationHandlers } from './evaluation-handlers'
import type { ApiHandlers } from './handler-types'
import { createImageHandlers } from './image-handlers'
import { createJobHandlers } from './job-handlers'
import { createLabelHandlers } from './label-handlers'
import { createLabelTransferHandlers } from './label-transfer-handlers'
import { createProjectHandlers } from './project-handlers'
import { createRunHandlers } from './run-handlers'
import { createTrainingHandlers } from './training-handlers'

export type { ApiHandler, ApiHandlers } from './handler-types'

/**
 * One handler per API method, one module per area. Arguments arrive already parsed by the
 * method's schema, so handlers trust their types; they throw `AppError` for anything the user
 * should hear about.
 */
export function createApiHandlers(context: ApiContext): ApiHandlers {
  return {
    ...createProjectHandlers(context),
    ...createImageHandlers(context),
    ...createLabelHandlers(context),
    ...createLabelTransferHandlers(context),
    ...createClassHandlers(context),
    ...createRunHandlers(context),
    ...createEvaluationHandlers(context),
    ...createJobHandlers(context),
    ...createTrainingHandlers(context),
  }
}
