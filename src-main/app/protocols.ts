import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { protocol } from 'electron'
import { HTTP_IMAGE_VERSION_QUERY, IMAGE_PROTOCOL } from '@shared/api/wire'
import type { ApiContext } from '../api/api-context'
import { accessProjectImage } from '../api/image-access'
import { rendererContentType, resolveStaticPath } from '../api/renderer-files'
import { APP_ORIGIN, APP_PROTOCOL, CONTENT_SECURITY_POLICY } from './security-policy'

function fileResponse(path: string, contentType: string, size?: number): Response {
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  }
  if (contentType.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY
  if (size !== undefined) headers['Content-Length'] = String(size)
  return new Response(body, { status: 200, headers })
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })

/** `rw-app://renderer/<path>`: the built renderer, from its folder and nowhere else. */
export function registerRendererProtocol(rendererDir: string): void {
  protocol.handle(APP_PROTOCOL, async (request) => {
    const url = new URL(request.url)
    if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return notFound()
    const file = resolveStaticPath(rendererDir, url.pathname)
    const stats = file ? await stat(file).catch(() => undefined) : undefined
    if (!file || !stats?.isFile()) return notFound()
    return fileResponse(file, rendererContentType(file), stats.size)
  })
}

/**
 * `rw-image://project/image/<id>` and `/thumb/<id>`: images of the open project by id,
 * looked up in its database exactly like the HTTP routes do.
 */
export function registerImageProtocol(context: ApiContext): void {
  protocol.handle(IMAGE_PROTOCOL, async (request) => {
    const url = new URL(request.url)
    const match = /^\/(image|thumb)\/([^/]+)$/.exec(url.pathname)
    if (url.host !== 'project' || !match) return notFound()
    const variant = match[1] === 'thumb' ? 'thumbnail' : 'image'
    const version = url.searchParams.get(HTTP_IMAGE_VERSION_QUERY)
    const result = await accessProjectImage(context, variant, match[2]!, version)
    if (result.kind === 'not-found') return notFound()
    if (result.kind === 'buffer') {
      return new Response(new Uint8Array(result.data), { headers: { 'Content-Type': result.contentType } })
    }
    return fileResponse(result.path, result.contentType)
  })
}
