import type { ApiContext } from '../api-context'
import type { AreaHandlers } from './handler-types'

type JobMethod = 'jobs.active' | 'jobs.cancel'

/** The scans, exports and imports going on, and their Cancel. */
export function createJobHandlers(context: ApiContext): AreaHandlers<JobMethod> {
  return {
    'jobs.active': () => context.jobs.active(),
    'jobs.cancel': ({ jobId }) => context.jobs.cancel(jobId),
  }
}
