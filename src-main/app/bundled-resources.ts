import { join, resolve } from 'node:path'

export interface AppLocation {
  isPackaged: boolean
  /** Electron's app.getAppPath(): the project folder when unpackaged. */
  appPath: string
  /** Electron's process.resourcesPath: where a packaged app keeps files outside its archive. */
  resourcesPath: string
}

/**
 * The model detection runs use when none is named: RW_MODEL if set (as for `serve`), else the
 * bundled one. The core's own default is found relative to its source file, which a bundled
 * build moves, so the desktop app says where it is: the repository's resources/ when
 * unpackaged; in a packaged app the resources folder, where the model must be copied as a
 * plain file (ONNX Runtime cannot read from inside an asar archive).
 */
export function desktopDefaultModelPath(location: AppLocation, env: NodeJS.ProcessEnv = process.env): string {
  if (env.RW_MODEL) return resolve(env.RW_MODEL)
  const resources = location.isPackaged ? location.resourcesPath : join(location.appPath, 'resources')
  return join(resources, 'models', 'shapes-retinanet.onnx')
}
