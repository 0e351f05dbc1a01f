import { createReadStream } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { ApiResult } from '@shared/api/result'
import { fail } from '@shared/api/result'
import { isApiMethod } from '@shared/api/methods'
import {
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_IMAGE_PREFIX,
  HTTP_IMAGE_VERSION_QUERY,
  HTTP_MAX_BODY_BYTES,
  HTTP_THUMBNAIL_PREFIX,
} from '@shared/api/wire'
import type { ApiContext } from '../api/api-context'
import type { Dispatch } from '../api/dispatcher'
import { accessProjectImage, type ImageVariant } from '../api/image-access'
import { authenticate, tokenCookie } from './auth'
import { openEventStream } from './event-stream'
import { readBody } from './request-body'
import { serveStaticFile } from './static-files'

export interface WorkbenchServerOptions {
  context: ApiContext
  dispatch: Dispatch
  token: string
  /** Folder with the built renderer (index.html, assets/). */
  rendererDir: string
  maxBodyBytes?: number
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  })
  response.end(text)
}

function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers })
  response.end(`${text}\n`)
}

/** Sends a status while the client may still be uploading, then drops the connection. */
function refuseAndClose(response: ServerResponse, status: number, body: ApiResult<never>): void {
  response.on('finish', () => response.req.socket.destroySoon())
  sendJson(response, status, body, { Connection: 'close' })
}

/**
 * The API over HTTP for `serve` (see src-shared/api/wire.ts for the protocol). Uses only
 * node:http. Every request, static files included, needs the token.
 */
export function createWorkbenchServer(options: WorkbenchServerOptions): Server {
  const maxBodyBytes = options.maxBodyBytes ?? HTTP_MAX_BODY_BYTES

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (request.method !== 'POST') {
      sendJson(response, 405, fail('invalid-argument', 'API methods are called with POST.'), { Allow: 'POST' })
      return
    }
    if (!isApiMethod(method)) {
      refuseAndClose(response, 404, fail('unknown-method', `There is no API method named "${method.slice(0, 100)}".`))
      return
    }
    const body = await readBody(request, maxBodyBytes)
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

  async function handleImage(
    request: IncomingMessage,
    response: ServerResponse,
    variant: ImageVariant,
    idSegment: string,
    version: string | null,
  ): Promise<void> {
    let result
    try {
      result = await accessProjectImage(options.context, variant, idSegment, version)
    } catch (error) {
      // The file changed since the scan and no longer decodes; the app shows a placeholder.
      console.error(`Could not read ${variant} ${idSegment}:`, error instanceof Error ? error.message : error)
      sendText(response, 500, 'This image could not be read')
      return
    }
    if (result.kind === 'not-found') {
      sendText(response, 404, 'No such image in the open project')
      return
    }
    const headers = {
      'Content-Type': result.contentType,
      'Cache-Control': 'private, no-cache',
      ETag: result.etag,
      'X-Content-Type-Options': 'nosniff',
    }
    if (request.headers['if-none-match'] === result.etag) {
      response.writeHead(304, headers)
      response.end()
      return
    }
    if (result.kind === 'buffer') {
      response.writeHead(200, { ...headers, 'Content-Length': String(result.data.length) })
      response.end(request.method === 'HEAD' ? undefined : result.data)
      return
    }
    const stream = createReadStream(result.path)
    stream.once('open', () => {
      response.writeHead(200, headers)
      if (request.method === 'HEAD') {
        stream.destroy()
        response.end()
      } else stream.pipe(response)
    })
    stream.once('error', () => {
      if (!response.headersSent) sendText(response, 404, 'No such image in the open project')
      else response.destroy()
    })
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const tokenSource = authenticate(request, url, options.token)
    if (!tokenSource) {
      if (url.pathname.startsWith(HTTP_API_PREFIX)) {
        refuseAndClose(response, 401, fail('unauthorized', 'A valid access token is required.'))
      } else {
        sendText(response, 401, 'Unauthorized: open the URL printed by `npm run serve`, including its ?token=')
      }
      return
    }
    const path = url.pathname

    if (path.startsWith(HTTP_API_PREFIX)) return handleApi(request, response, path.slice(HTTP_API_PREFIX.length))

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method not allowed', { Allow: 'GET, HEAD' })
      return
    }
    if (path === HTTP_EVENTS_PATH) return openEventStream(request, response, options.context.events)
    if (path.startsWith(HTTP_IMAGE_PREFIX)) {
      const version = url.searchParams.get(HTTP_IMAGE_VERSION_QUERY)
      return handleImage(request, response, 'image', path.slice(HTTP_IMAGE_PREFIX.length), version)
    }
    if (path.startsWith(HTTP_THUMBNAIL_PREFIX)) {
      const version = url.searchParams.get(HTTP_IMAGE_VERSION_QUERY)
      return handleImage(request, response, 'thumbnail', path.slice(HTTP_THUMBNAIL_PREFIX.length), version)
    }
    // Opening the app with ?token= once stores the token in a cookie for <img> and EventSource.
    const cookie = tokenSource === 'query' ? { 'Set-Cookie': tokenCookie(options.token) } : undefined
    return serveStaticFile(options.rendererDir, path, response, {
      'Referrer-Policy': 'no-referrer',
      ...cookie,
    })
  }

  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      console.error('Request failed:', error)
      if (!response.headersSent) sendJson(response, 500, fail('internal', 'The server failed to answer this request.'))
      else response.destroy()
    })
  })
}
