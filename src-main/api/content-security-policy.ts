/**
 * The Content-Security-Policy both transports send with the renderer's HTML (the desktop
 * window's rw-app: protocol and the HTTP `serve` transport): scripts and styles only from the
 * app itself, no inline code, images from the app plus data: and blob: URLs for canvas
 * exports. The renderer's own <meta> policy in index.html says the same.
 *
 * `imageSources` adds the transport's image origin (the desktop app's rw-image: scheme; the
 * HTTP transport serves images from 'self').
 */
export function rendererContentSecurityPolicy(imageSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    ["img-src 'self'", ...imageSources, 'data: blob:'].join(' '),
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
