import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { fail } from '@shared/api/result'
import { isApiMethod } from '@shared/api/methods'
import {
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_IMAGE_PREFIX,
  HTTP_IMAGE_VERSION_QUERY,
  HTTP_MAX_BODY_BYTES,
  HTTP_THUMBNAIL_PREFIX,
  HTTP_TOKEN_QUERY,
} from '@shared/api/wire'
import type { ApiContext } from '../api/api-context'
import type { Dispatch } from '../api/dispatcher'
import { classifyRequest, redactToken } from './auth'
import { openEventStream } from './event-stream'
import { serveProjectImage } from './image-route'
import { readBody } from './request-body'
import { checkRequestOrigin, isJsonContentType } from './request-guard'
import { describeError, refuseAndClose, sendJson, sendText } from './responses'
import { serveStaticFile } from './static-files'

export interface WorkbenchServerOptions {
  context: ApiContext
  dispatch: Dispatch
  token: string
  /** Folder with the built renderer (index.html, assets/). */
  rendererDir: string
  /** The address the server listens on; requests must name it (or localhost) as their Host. */
  listenHost?: string
  maxBodyBytes?: number
}

/**
 * The API over HTTP for `serve` (see src-shared/api/wire.ts for the protocol). Uses only
 * node:http. Every request, static files included, needs the token (in the path: the app lives
 * under `/<token>/`; or as a bearer header) and must come from the server's own origin
 * (request-guard.ts).
 */
export function createWorkbenchServer(options: WorkbenchServerOptions): Server {
  const maxBodyBytes = options.maxBodyBytes ?? HTTP_MAX_BODY_BYTES
  const listenHost = options.listenHost ?? '127.0.0.1'

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (request.method !== 'POST') {
      sendJson(response, 405, fail('invalid-argument', 'API methods are called with POST.'), { Allow: 'POST' })
      return
    }
    if (!isApiMethod(method)) {
      refuseAndClose(response, 404, fail('unknown-method', `There is no API method named "${method.slice(0, 100)}".`))
      return
    }
    if (!isJsonContentType(request)) {
      refuseAndClose(response, 415, fail('invalid-argument', 'API calls must send Content-Type: application/json.'))
      return
    }
    const body = await readBody(request, maxBodyBytes)
    if (body.kind === 'aborted') return // the client went away; there is no one to answer
    if (body.kind === 'too-large') {
      refuseAndClose(response, 413, fail('invalid-argument', `The request is larger than ${maxBodyBytes} bytes.`))
      return
    }
    let args: unknown
    try {
      // An empty body means "no arguments", for methods that take none.
      args = body.text.trim() === '' ? {} : JSON.parse(body.text)
    } catch {
      sendJson(response, 400, fail('invalid-argument', 'The request body is not valid JSON.'))
      return
    }
    sendJson(response, 200, await options.dispatch(method, args))
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const access = classifyRequest(request, url, options.token)
    const path = access.path
    const isApi = path.startsWith(HTTP_API_PREFIX)
    const isResource =
      isApi || path === HTTP_EVENTS_PATH || path.startsWith(HTTP_IMAGE_PREFIX) || path.startsWith(HTTP_THUMBNAIL_PREFIX)
    const refusal = checkRequestOrigin(request, listenHost, isResource)
    if (refusal) {
      if (isApi) refuseAndClose(response, refusal.status, fail('unauthorized', refusal.reason))
      else sendText(response, refusal.status, refusal.reason)
      return
    }
    if (access.kind === 'refused') {
      if (isApi) refuseAndClose(response, 401, fail('unauthorized', 'A valid access token is required.'))
      else sendText(response, 401, 'Unauthorized: open the whole address printed by `npm run serve`; its path holds the access token.')
      return
    }
    if (access.kind === 'add-slash' || access.kind === 'legacy-query') {
      // The page's own URLs are relative to /<token>/, so it must be opened there.
      const search = new URLSearchParams(url.search)
      search.delete(HTTP_TOKEN_QUERY)
      const query = search.size > 0 ? `?${search.toString()}` : ''
      sendText(response, 303, 'See the app under its own address.', {
        Location: `/${options.token}/${query}`,
        'Referrer-Policy': 'no-referrer',
      })
      return
    }

    if (isApi) return handleApi(request, response, path.slice(HTTP_API_PREFIX.length))

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method not allowed', { Allow: 'GET, HEAD' })
      return
    }
    if (path === HTTP_EVENTS_PATH) return openEventStream(request, response, options.context.events)
    const version = url.searchParams.get(HTTP_IMAGE_VERSION_QUERY)
    if (path.startsWith(HTTP_IMAGE_PREFIX)) {
      return serveProjectImage(options.context, request, response, 'image', path.slice(HTTP_IMAGE_PREFIX.length), version)
    }
    if (path.startsWith(HTTP_THUMBNAIL_PREFIX)) {
      const id = path.slice(HTTP_THUMBNAIL_PREFIX.length)
      return serveProjectImage(options.context, request, response, 'thumbnail', id, version)
    }
    // The token is in the page's address: no Referer may carry it anywhere.
    return serveStaticFile(options.rendererDir, path, response, { 'Referrer-Policy': 'no-referrer' })
  }

  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // A stack trace only for what is really unexpected; the message is enough to find it.
      console.error(`Request ${request.method} ${describeError(redactToken(request.url ?? '', options.token))} failed:`, error)
      try {
        if (!response.headersSent) sendJson(response, 500, fail('internal', 'The server failed to answer this request.'))
        else response.destroy()
      } catch {
        response.destroy()
      }
    })
  })
}
