import type { ApiMethod, ApiParsedArgs, ApiReturn } from '@shared/api/methods'

export type ApiHandler<M extends ApiMethod> = (args: ApiParsedArgs<M>) => Promise<ApiReturn<M>> | ApiReturn<M>
export type ApiHandlers = { [M in ApiMethod]: ApiHandler<M> }

/** The handlers of one area of the API. */
export type AreaHandlers<M extends ApiMethod> = Pick<ApiHandlers, M>
