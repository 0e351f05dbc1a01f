import type { ApiEvent } from './events'
import type { ApiResult } from './result'

/**
 * How the two transports put the API on the wire. Server and client both import these
 * names so they cannot drift apart.
 *
 * HTTP (`serve`): the app lives under a secret path, `/<token>/`, new on every start; the paths
 * below are relative to it (`POST /<token>/api/app.info`).
 *   POST /api/<method>    JSON body = arguments; response JSON = ApiResult (status 200 for
 *                         `{ ok: false }` results too; 400 malformed JSON, 401 bad token,
 *                         404 unknown method, 413 body too large)
 *   GET  /events          server-sent events, one `data: <ApiEvent JSON>` per event
 *   GET  /image/<id>?v=<version>   an image of the open project, displayed orientation kept
 *                         as stored; `v` is imageVersion(): the project's uuid and the file's
 *                         mtime, so the URL differs per project and per file version (browsers
 *                         cache images by URL). A `v` that is not the open project's and the
 *                         image's current version is a 404, never another file's bytes.
 *   GET  /thumb/<id>?v=<version>   its cached thumbnail (JPEG)
 *   GET  /, /assets/...   the renderer
 * Scripts may instead call the same paths without the prefix and send
 * `Authorization: Bearer <token>`. `/<token>` and `/?token=<token>` (the address earlier
 * versions printed) redirect to `/<token>/`. There is no cookie: browsers send cookies to every
 * port of a host, a path only to this server. Only the server's own origin may call it: a `Host`
 * that is not an address the server listens on, an `Origin` that is not its own, or
 * `Sec-Fetch-Site: cross-site/same-site` on the API, images or events is a 403; API calls need
 * `Content-Type: application/json` (415).
 *
 * Electron: the preload exposes `window[PRELOAD_GLOBAL]` (type `PreloadBridge`); images are
 * served by the `IMAGE_PROTOCOL` scheme as `<scheme>://project/image/<id>` and `/thumb/<id>`.
 */
export const HTTP_API_PREFIX = '/api/'
export const HTTP_EVENTS_PATH = '/events'
export const HTTP_IMAGE_PREFIX = '/image/'
export const HTTP_THUMBNAIL_PREFIX = '/thumb/'
export const HTTP_IMAGE_VERSION_QUERY = 'v'
/** Accepted only on `/`, and redirected: addresses printed by earlier versions keep working. */
export const HTTP_TOKEN_QUERY = 'token'
export const HTTP_MAX_BODY_BYTES = 1024 * 1024

export const IMAGE_PROTOCOL = 'rw-image'
export const IPC_INVOKE_CHANNEL = 'api:invoke'
export const IPC_EVENT_CHANNEL = 'api:event'
export const PRELOAD_GLOBAL = 'retinaWorkbench'

export interface PreloadBridge {
  invoke(method: string, args: unknown): Promise<ApiResult<unknown>>
  /** Returns a function that unsubscribes. */
  subscribe(listener: (event: ApiEvent) => void): () => void
}

/** Which image of which project, in which version: what an image URL must name. */
export interface ImageVersionRef {
  projectUuid: string
  id: number
  mtimeMs: number
}

/** `<project uuid>.<whole milliseconds of the file's mtime>`, the `v` of an image URL. */
export function imageVersion(image: ImageVersionRef): string {
  return `${image.projectUuid}.${Math.trunc(image.mtimeMs)}`
}

/** The path and query of an image (`/image/…`) or thumbnail (`/thumb/…`) URL. */
export function imagePathAndQuery(prefix: string, image: ImageVersionRef): string {
  return `${prefix}${image.id}?${HTTP_IMAGE_VERSION_QUERY}=${encodeURIComponent(imageVersion(image))}`
}
