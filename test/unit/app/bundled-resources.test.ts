import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { desktopDefaultModelPath } from '../../../src-main/app/bundled-resources'
import { BUNDLED_MODEL_PATH } from '../../../src-main/core/detect/detector'

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url))

describe('desktopDefaultModelPath', () => {
  it('is the bundled model of the repository when unpackaged (app path = the project folder)', () => {
    const path = desktopDefaultModelPath({ isPackaged: false, appPath: repositoryRoot, resourcesPath: '/opt/electron/resources' }, {})
    expect(path).toBe(BUNDLED_MODEL_PATH)
    expect(existsSync(path)).toBe(true)
  })

  it('is in the resources folder of a packaged app, outside its archive', () => {
    const path = desktopDefaultModelPath({ isPackaged: true, appPath: '/opt/rw/resources/app.asar', resourcesPath: '/opt/rw/resources' }, {})
    expect(path).toBe(join('/opt/rw/resources', 'models', 'shapes-retinanet.onnx'))
  })

  it('follows RW_MODEL, as serve does', () => {
    const location = { isPackaged: true, appPath: '/opt/rw/resources/app.asar', resourcesPath: '/opt/rw/resources' }
    expect(desktopDefaultModelPath(location, { RW_MODEL: 'models/custom.onnx' })).toBe(resolve('models/custom.onnx'))
  })
})
