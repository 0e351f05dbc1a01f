import type { Api } from '@shared/api/client'

/**
 * The part of the API client a store uses. Stores built by a `define…Store(client)` factory
 * take it as a parameter, so tests run them in Node against a fake client.
 */
export type StoreClient = Pick<Api, 'call' | 'subscribe'>
