import type { ApiEvent } from './events'
import type { ApiArgs, ApiMethod, ApiReturn } from './methods'
import { ApiCallError, type ApiResult } from './result'
import type { ImageVersionRef } from './wire'

/**
 * What a transport provides to the renderer. The Electron preload and the HTTP client
 * both implement this; nothing above it knows which one is in use.
 */
export interface ApiTransport {
  invoke(method: ApiMethod, args: unknown): Promise<ApiResult<unknown>>
  /** Returns a function that unsubscribes. */
  subscribe(listener: (event: ApiEvent) => void): () => void
  /**
   * URL of an image of the open project, e.g. `rw-image://project/image/12?v=…` or
   * `/image/12?v=…`. The project uuid and file mtime are part of it: ids restart at 1 in
   * every project, and the browser caches images by URL.
   */
  imageUrl(image: ImageVersionRef): string
  thumbnailUrl(image: ImageVersionRef): string
}

export type Api = {
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiReturn<M>>
  /** Like `call`, but resolves to the result value instead of throwing. */
  tryCall<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<ApiReturn<M>>>
  subscribe(listener: (event: ApiEvent) => void): () => void
  imageUrl(image: ImageVersionRef): string
  thumbnailUrl(image: ImageVersionRef): string
}

export function createApi(transport: ApiTransport): Api {
  async function tryCall<M extends ApiMethod>(method: M, args: ApiArgs<M>) {
    return (await transport.invoke(method, args)) as ApiResult<ApiReturn<M>>
  }
  return {
    tryCall,
    async call(method, args) {
      const result = await tryCall(method, args)
      if (!result.ok) throw new ApiCallError(result.error)
      return result.value
    },
    subscribe: (listener) => transport.subscribe(listener),
    imageUrl: (image) => transport.imageUrl(image),
    thumbnailUrl: (image) => transport.thumbnailUrl(image),
  }
}
