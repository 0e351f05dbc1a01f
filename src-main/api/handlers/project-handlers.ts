import { readProjectStats } from '../../core/db/project-stats'
import { AppError } from '../../core/errors'
import type { ApiContext } from '../api-context'
import type { AreaHandlers } from './handler-types'

type ProjectMethod =
  | 'app.info'
  | 'project.create'
  | 'project.open'
  | 'project.close'
  | 'project.current'
  | 'project.recent'
  | 'project.rescan'
  | 'project.stats'
  | 'dialog.pickPath'

/** The app, the open project as a whole, and the native file dialog. */
export function createProjectHandlers(context: ApiContext): AreaHandlers<ProjectMethod> {
  return {
    'app.info': () => ({
      name: context.appName,
      version: context.appVersion,
      transport: context.transport,
      canPickPaths: context.pickPath !== undefined,
    }),

    'project.create': (args) => context.projects.create(args),
    'project.open': (args) => context.projects.open(args.projectFile),
    'project.close': async () => {
      await context.projects.close()
      return null
    },
    'project.current': () => context.projects.current?.summary() ?? null,
    'project.recent': () => context.recent.list(),
    'project.rescan': () => context.projects.rescan(),

    'project.stats': () => readProjectStats(context.projects.requireOpen().db),

    'dialog.pickPath': (args) => {
      if (!context.pickPath) {
        throw new AppError('unsupported', { key: 'dialogs.desktopOnly' })
      }
      return context.pickPath(args)
    },
  }
}
