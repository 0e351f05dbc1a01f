import { countImageLabels } from '../../core/db/annotations-repository'
import { findGridPosition, findNextUnreviewed, getGridPage, type ImageGridFilter } from '../../core/db/image-grid'
import { setImageReviewed } from '../../core/db/image-status'
import { readImageUncertainty } from '../../core/db/image-uncertainty'
import { findImage, listImages, toImageSummary } from '../../core/db/images-repository'
import { AppError } from '../../core/errors'
import type { ApiContext } from '../api-context'
import type { AreaHandlers } from './handler-types'

type ImageMethod =
  | 'images.list'
  | 'images.get'
  | 'images.grid'
  | 'images.setReviewed'
  | 'images.nextUnreviewed'
  | 'images.positionOf'

function toGridFilter(
  filter: { order?: ImageGridFilter['order']; statuses?: ImageGridFilter['statuses']; hasErrors?: boolean; classId?: number } | undefined,
): ImageGridFilter {
  const gridFilter: ImageGridFilter = {}
  if (filter?.order !== undefined) gridFilter.order = filter.order
  if (filter?.statuses !== undefined) gridFilter.statuses = filter.statuses
  if (filter?.hasErrors !== undefined) gridFilter.hasErrors = filter.hasErrors
  if (filter?.classId !== undefined) gridFilter.classId = filter.classId
  return gridFilter
}

/** The project's images: plain listing, the grid with status and label counts, and review status. */
export function createImageHandlers(context: ApiContext): AreaHandlers<ImageMethod> {
  return {
    'images.list': ({ offset, limit }) => {
      const project = context.projects.requireOpen()
      const read = project.db.transaction(() => ({
        total: project.summary().imageCount,
        items: listImages(project.db, offset, limit).map(toImageSummary),
      }))
      return { offset, ...read() }
    },
    'images.get': ({ imageId }) => {
      const project = context.projects.requireOpen()
      const image = findImage(project.db, imageId)
      if (!image) throw new AppError('not-found', { key: 'image.notFound', values: { imageId } })
      return toImageSummary(image)
    },

    'images.grid': ({ offset, limit, filter }) => {
      const { db } = context.projects.requireOpen()
      return getGridPage(db, toGridFilter(filter), offset, limit)
    },

    'images.setReviewed': ({ imageId, reviewed }) => {
      const project = context.projects.requireOpen()
      const state = setImageReviewed(project.db, imageId, reviewed, new Date().toISOString())
      const image = project.requireImage(imageId)
      const labelCount = countImageLabels(project.db, imageId)
      context.events.emit({ type: 'labels.changed', imageIds: [imageId] })
      context.events.emit({ type: 'images.changed' })
      const { format: _format, ...summary } = image
      return { ...summary, ...state, labelCount, uncertainty: readImageUncertainty(project.db, imageId) }
    },

    'images.nextUnreviewed': ({ afterIndex, filter }) => {
      const { db } = context.projects.requireOpen()
      return findNextUnreviewed(db, toGridFilter(filter), afterIndex) ?? null
    },

    'images.positionOf': ({ imageId, filter }) => {
      const { db } = context.projects.requireOpen()
      return findGridPosition(db, toGridFilter(filter), imageId) ?? null
    },
  }
}
