import type { ApiMethod, ApiParsedArgs, ApiReturn } from '@shared/api/methods'
import { findImage, listImages, toImageSummary } from '../core/db/images-repository'
import { AppError } from '../core/errors'
import type { ApiContext } from './api-context'
import { createLabelTransferHandlers } from './label-transfer-handlers'
import { createProjectDataHandlers } from './project-data-handlers'

export type ApiHandler<M extends ApiMethod> = (args: ApiParsedArgs<M>) => Promise<ApiReturn<M>> | ApiReturn<M>
export type ApiHandlers = { [M in ApiMethod]: ApiHandler<M> }

/**
 * One handler per API method. Arguments arrive already parsed by the method's schema, so
 * handlers trust their types; they throw `AppError` for anything the user should hear about.
 */
export function createApiHandlers(context: ApiContext): ApiHandlers {
  return {
    'app.info': () => ({
      name: context.appName,
      version: context.appVersion,
      transport: context.transport,
      canPickPaths: context.pickPath !== undefined,
    }),

    'project.create': (args) => context.projects.create(args),
    'project.open': (args) => context.projects.open(args.projectFile),
    'project.close': () => {
      context.projects.close()
      return null
    },
    'project.current': () => context.projects.current?.summary() ?? null,
    'project.recent': () => context.recent.list(),

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
      if (!image) throw new AppError('not-found', `This project has no image with id ${imageId}.`)
      return toImageSummary(image)
    },

    ...createProjectDataHandlers(context),
    ...createLabelTransferHandlers(context),

    'dialog.pickPath': (args) => {
      if (!context.pickPath) {
        throw new AppError('unsupported', 'File dialogs are only available in the desktop app; type the path instead.')
      }
      return context.pickPath(args)
    },
  }
}
