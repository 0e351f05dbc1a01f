import { findLatestRunOfImage, listDetections } from '../../core/db/detections-repository'
import { listRunSummaries } from '../../core/db/runs-repository'
import type { ApiContext } from '../api-context'
import type { AreaHandlers } from './handler-types'

type RunMethod =
  | 'detections.forImage'
  | 'runs.start'
  | 'runs.resume'
  | 'runs.cancel'
  | 'runs.list'
  | 'runs.active'

/** Detection runs and their raw detections. */
export function createRunHandlers(context: ApiContext): AreaHandlers<RunMethod> {
  return {
    'detections.forImage': ({ imageId }) => {
      const project = context.projects.requireOpen()
      return project.db.transaction(() => {
        project.requireImage(imageId)
        const runId = findLatestRunOfImage(project.db, imageId) ?? null
        const detections = runId === null ? [] : listDetections(project.db, runId, imageId)
        return { imageId, runId, detections }
      })()
    },

    'runs.start': (args) => context.runs.start(args),
    'runs.resume': ({ runId, projectFile }) => context.runs.resume(runId, projectFile),
    'runs.cancel': async ({ runId, projectFile }) => {
      await context.runs.cancel(runId, projectFile)
      return null
    },
    'runs.list': () => listRunSummaries(context.projects.requireOpen().db),
    'runs.active': () => {
      context.projects.requireOpen()
      return context.runs.activeProgress()
    },
  }
}
