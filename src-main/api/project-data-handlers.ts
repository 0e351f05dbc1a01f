import { listClasses } from '../core/db/classes-repository'
import { findLatestRunOfImage, listDetections } from '../core/db/detections-repository'
import { getGridPage, type ImageGridFilter } from '../core/db/image-grid'
import { countImagesByStatus } from '../core/db/project-stats'
import { countLatestDetections, countLatestDetectionsByClass } from '../core/projects/latest-detection-counts'
import type { ApiContext } from './api-context'
import { readRunSummaries, toDetectionBox, toGridImage, toProjectClass } from './contract-mapping'
import type { ApiHandlers } from './handlers'

type ProjectDataMethod =
  | 'project.rescan'
  | 'project.stats'
  | 'images.grid'
  | 'classes.list'
  | 'detections.forImage'
  | 'runs.start'
  | 'runs.resume'
  | 'runs.cancel'
  | 'runs.list'
  | 'runs.active'

/** Handlers of the project's contents: grid, classes, detections, stats, and detection runs. */
export function createProjectDataHandlers(context: ApiContext): Pick<ApiHandlers, ProjectDataMethod> {
  return {
    'project.rescan': () => context.projects.rescan(),

    'project.stats': () => {
      const { db } = context.projects.requireOpen()
      return db.transaction(() => {
        const counts = countImagesByStatus(db)
        return {
          imagesByStatus: { new: counts.new, detected: counts.detected, reviewed: counts.reviewed, error: counts.error },
          missingImages: counts.missing,
          detectionCount: countLatestDetections(db),
        }
      })()
    },

    'images.grid': ({ offset, limit, filter }) => {
      const { db } = context.projects.requireOpen()
      const gridFilter: ImageGridFilter = {}
      if (filter?.statuses !== undefined) gridFilter.statuses = filter.statuses
      if (filter?.hasErrors !== undefined) gridFilter.hasErrors = filter.hasErrors
      if (filter?.classId !== undefined) gridFilter.classId = filter.classId
      const page = getGridPage(db, gridFilter, offset, limit)
      return { total: page.total, offset: page.offset, items: page.items.map(toGridImage) }
    },

    'classes.list': () => {
      const { db } = context.projects.requireOpen()
      return db.transaction(() => {
        const counts = countLatestDetectionsByClass(db)
        return listClasses(db).map((record) => toProjectClass(record, counts.get(record.id) ?? 0))
      })()
    },

    'detections.forImage': ({ imageId }) => {
      const project = context.projects.requireOpen()
      return project.db.transaction(() => {
        project.requireImage(imageId)
        const runId = findLatestRunOfImage(project.db, imageId) ?? null
        const detections = runId === null ? [] : listDetections(project.db, runId, imageId).map(toDetectionBox)
        return { imageId, runId, detections }
      })()
    },

    'runs.start': (args) => context.runs.start(args),
    'runs.resume': ({ runId }) => context.runs.resume(runId),
    'runs.cancel': async ({ runId }) => {
      await context.runs.cancel(runId)
      return null
    },
    'runs.list': () => readRunSummaries(context.projects.requireOpen().db),
    'runs.active': () => {
      context.projects.requireOpen()
      return context.runs.activeProgress()
    },
  }
}
