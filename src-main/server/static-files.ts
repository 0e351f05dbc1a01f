import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, relative, resolve, sep } from 'node:path'
import { rendererContentSecurityPolicy } from '../api/content-security-policy'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
}

const RENDERER_CONTENT_SECURITY_POLICY = rendererContentSecurityPolicy()

/**
 * Resolves a URL path to a file inside `root`, or undefined if it would leave it. Paths
 * without an extension fall back to index.html, so reloading a client-side route works.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const target = resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded))
  const inside = relative(root, target)
  if (inside.startsWith('..') || inside.startsWith(sep) || resolve(root, inside) !== target) return undefined
  return extname(target) === '' ? join(root, 'index.html') : target
}

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
    'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(stats.size),
    // Vite fingerprints asset names, so only the HTML must always be revalidated.
    'Cache-Control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    ...(isHtml ? { 'Content-Security-Policy': RENDERER_CONTENT_SECURITY_POLICY } : {}),
    ...extraHeaders,
  })
  createReadStream(file).on('error', () => response.destroy()).pipe(response)
}
