import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, resolve } from 'node:path'
import { rendererContentSecurityPolicy } from '../api/content-security-policy'
import { rendererContentType, resolveStaticPath } from '../api/renderer-files'


const RENDERER_CONTENT_SECURITY_POLICY = rendererContentSecurityPolicy()

export async function serveStaticFile(
  root: string,
  urlPath: string,
  response: ServerResponse,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const file = resolveStaticPath(resolve(root), urlPath)
  const stats = file ? await stat(file).catch(() => undefined) : undefined
  if (!file || !stats?.isFile()) {
    if (urlPath === '/' || extname(urlPath) === '') {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', ...extraHeaders })
      response.end(`The user interface has not been built yet (looked in ${root}). Run: npm run build:renderer\n`)
      return
    }
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
    response.end('Not found\n')
    return
  }
  const isHtml = extname(file) === '.html'
  response.writeHead(200, {
    'Content-Type': rendererContentType(file),
    'Content-Length': String(stats.size),
    // Vite fingerprints asset names, so only the HTML must always be revalidated.
    'Cache-Control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    ...(isHtml ? { 'Content-Security-Policy': RENDERER_CONTENT_SECURITY_POLICY } : {}),
    ...extraHeaders,
  })
  createReadStream(file).on('error', () => response.destroy()).pipe(response)
}
