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
 * Methods that write on this thread. They take their turn in the project's write queue, so
 * that one asked while a long write runs in the write worker (an import, its undo) waits for it
 * instead of blocking this thread on SQLite's lock.
 */
const QUEUED_WRITES = ['labels.edit', 'images.setReviewed', 'labelThresholds.set', 'classes.create', 'classes.update', 'classes.merge'] as const

function queueWrites(context: ApiContext, handlers: ApiHandlers): ApiHandlers {
  const queued: Partial<Record<string, unknown>> = {}
  for (const method of QUEUED_WRITES) {
    const handler = handlers[method] as (args: unknown) => unknown
    queued[method] = (args: unknown) => context.writes.onThisThread(() => handler(args))
  }
  return { ...handlers, ...queued } as ApiHandlers
}

/**
 * One handler per API method, one module per area. Arguments arrive already parsed by the
 * method's schema, so handlers trust their types; they throw `AppError` for anything the user
 * should hear about.
 */
export function createApiHandlers(context: ApiContext): ApiHandlers {
  return queueWrites(context, {
    ...createProjectHandlers(context),
    ...createImageHandlers(context),
    ...createLabelHandlers(context),
    ...createLabelTransferHandlers(context),
    ...createClassHandlers(context),
    ...createRunHandlers(context),
    ...createEvaluationHandlers(context),
    ...createJobHandlers(context),
    ...createTrainingHandlers(context),
  })
}
