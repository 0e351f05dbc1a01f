import type { ApiTransport } from '@shared/api/client'
import {
  HTTP_IMAGE_PREFIX,
  HTTP_THUMBNAIL_PREFIX,
  IMAGE_PROTOCOL,
  imagePathAndQuery,
  type PreloadBridge,
} from '@shared/api/wire'

/** The API inside the desktop app: the preload bridge for calls and events, a custom scheme for images. */
export function createElectronTransport(bridge: PreloadBridge): ApiTransport {
  return {
    invoke: (method, args) => bridge.invoke(method, args),
    subscribe: (listener) => bridge.subscribe(listener),
    imageUrl: (image) => `${IMAGE_PROTOCOL}://project${imagePathAndQuery(HTTP_IMAGE_PREFIX, image)}`,
    thumbnailUrl: (image) => `${IMAGE_PROTOCOL}://project${imagePathAndQuery(HTTP_THUMBNAIL_PREFIX, image)}`,
  }
}
