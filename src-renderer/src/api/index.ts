import { createApi, type Api } from '@shared/api/client'
import { PRELOAD_GLOBAL, type PreloadBridge } from '@shared/api/wire'
import { createElectronTransport } from './electron-transport'
import { appRootFromLocation, createHttpTransport } from './http-transport'

function preloadBridge(): PreloadBridge | null {
  const candidate = (window as unknown as Record<string, unknown>)[PRELOAD_GLOBAL]
  return typeof candidate === 'object' && candidate !== null ? (candidate as PreloadBridge) : null
}

function chooseTransport() {
  const bridge = preloadBridge()
  return bridge ? createElectronTransport(bridge) : createHttpTransport(appRootFromLocation())
}

/** The one API object of the renderer; only stores use it. */
export const api: Api = createApi(chooseTransport())
