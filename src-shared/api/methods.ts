import type { z } from 'zod'
import {
  imageGetArgs,
  imagesListArgs,
  noArgs,
  pickPathArgs,
  projectCreateArgs,
  projectOpenArgs,
} from './schemas'
import type { AppInfo, CreatedProject, ImagePage, ImageSummary, ProjectSummary, RecentProject } from './types'

/**
 * The API, declared once. Both transports (Electron IPC and HTTP) bind exactly these
 * methods; the renderer calls them through one `Api` object. To add a method: add its
 * schema in schemas.ts, an entry here, and a handler in src-main/api/handlers.
 */
export const apiMethods = {
  'app.info': { args: noArgs, result: {} as AppInfo },
  'project.create': { args: projectCreateArgs, result: {} as CreatedProject },
  'project.open': { args: projectOpenArgs, result: {} as ProjectSummary },
  'project.close': { args: noArgs, result: null },
  'project.current': { args: noArgs, result: {} as ProjectSummary | null },
  'project.recent': { args: noArgs, result: [] as RecentProject[] },
  'images.list': { args: imagesListArgs, result: {} as ImagePage },
  'images.get': { args: imageGetArgs, result: {} as ImageSummary },
  /** Native dialog; `unsupported` over HTTP. Resolves to null when the user cancels. */
  'dialog.pickPath': { args: pickPathArgs, result: {} as string | null },
} as const

export type ApiMethod = keyof typeof apiMethods
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiMethods)[M]['args']>
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['args']>
export type ApiReturn<M extends ApiMethod> = (typeof apiMethods)[M]['result']

export const apiMethodNames = Object.keys(apiMethods) as ApiMethod[]

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiMethods, name)
}
