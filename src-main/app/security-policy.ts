import { IMAGE_PROTOCOL } from '@shared/api/wire'
import { rendererContentSecurityPolicy } from '../api/content-security-policy'

/**
 * The desktop app's security rules as plain data and pure checks (no `electron` import),
 * so they can be unit-tested; security.ts applies them.
 */

/** The renderer is served from this privileged scheme, never from file://. */
export const APP_PROTOCOL = 'rw-app'
export const APP_ORIGIN = `${APP_PROTOCOL}://renderer`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

export const CONTENT_SECURITY_POLICY = rendererContentSecurityPolicy([`${IMAGE_PROTOCOL}:`])

/** Only what the window needs; everything that could widen the renderer's reach is off. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const
}

/** The origin of a URL, or undefined when it cannot be parsed. */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    // Custom standard schemes report origin "null" in Node's URL; compare scheme + host.
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return undefined
  }
}

/**
 * True when `url` belongs to the app's own renderer: the rw-app origin, or in development
 * the electron-vite dev server it was started with. Lookalikes such as
 * `rw-app://renderer.evil` or `http://localhost:5173@evil` do not match.
 */
export function isAppUrl(url: string, devServerUrl?: string): boolean {
  const origin = originOf(url)
  if (origin === undefined) return false
  if (origin === APP_ORIGIN) return true
  return devServerUrl !== undefined && origin === originOf(devServerUrl)
}

export interface SenderFrameLike {
  url: string
  /** Null for the top-level frame. */
  parent: unknown
}

/** IPC is accepted only from the top frame of the app's own page. */
export function isTrustedSender(frame: SenderFrameLike | null | undefined, devServerUrl?: string): boolean {
  if (!frame) return false
  return frame.parent === null && isAppUrl(frame.url, devServerUrl)
}
