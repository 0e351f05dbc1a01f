import { extname, join, relative, resolve, sep } from 'node:path'

/**
 * The built renderer's files, as both transports serve them: `serve` over HTTP
 * (server/static-files.ts) and the desktop app's `rw-app://` scheme (app/protocols.ts).
 */

const RENDERER_CONTENT_TYPES: Record<string, string> = {
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

/** The Content-Type of a renderer file, by its extension. */
export function rendererContentType(file: string): string {
  return RENDERER_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'
}

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
