import type { ApiEvent } from './events'
import type { ApiArgs, ApiMethod, ApiReturn } from './methods'
import { ApiCallError, type ApiResult } from './result'

/**
 * What a transport provides to the renderer. The Electron preload and the HTTP client
 * both implement this; nothing above it knows which one is in use.
 */
export interface ApiTransport {
  invoke(method: ApiMethod, args: unknown): Promise<ApiResult<unknown>>
  /** Returns a function that unsubscribes. */
  subscribe(listener: (event: ApiEvent) => void): () => void
  /** URL of an image of the open project, e.g. `rw-image://project/image/12` or `/image/12?token=…`. */
  imageUrl(imageId: number): string
  thumbnailUrl(imageId: number): string
}

export type Api = {
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiReturn<M>>
  /** Like `call`, but resolves to the result value instead of throwing. */
  tryCall<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<ApiReturn<M>>>
  subscribe(listener: (event: ApiEvent) => void): () => void
  imageUrl(imageId: number): string
  thumbnailUrl(imageId: number): string
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
    imageUrl: (imageId) => transport.imageUrl(imageId),
    thumbnailUrl: (imageId) => transport.thumbnailUrl(imageId),
  }
}
