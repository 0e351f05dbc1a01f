import { app, protocol, type Session } from 'electron'
import { IMAGE_PROTOCOL } from '@shared/api/wire'
import { APP_PROTOCOL, CONTENT_SECURITY_POLICY, isAppUrl } from './security-policy'

/**
 * Every security measure of the desktop app, in one place (Electron's security checklist):
 * privileged custom schemes instead of file://, a strict Content-Security-Policy, no
 * permissions, no navigation, no new windows, no webviews, and no remote content.
 */

/** Must run before `app` is ready. */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: IMAGE_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
}

/** Applies the policy to a session: CSP on every response, every permission denied. */
export function hardenSession(session: Session, devServerUrl?: string): void {
  session.webRequest.onHeadersReceived((details, respond) => {
    respond({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    })
  })
  // Nothing leaves the machine: only the app's own schemes (and the dev server) load.
  session.webRequest.onBeforeRequest((details, respond) => {
    const url = details.url
    const allowed =
      url.startsWith(`${APP_PROTOCOL}:`) ||
      url.startsWith(`${IMAGE_PROTOCOL}:`) ||
      url.startsWith('data:') ||
      url.startsWith('blob:') ||
      url.startsWith('devtools:') ||
      (devServerUrl !== undefined && isAppUrl(url, devServerUrl)) ||
      (devServerUrl !== undefined && url.startsWith(devServerUrl.replace(/^http/, 'ws')))
    respond({ cancel: !allowed })
  })
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Blocks navigation, new windows and webviews in every web contents the app creates. */
export function hardenAllWebContents(devServerUrl?: string): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, devServerUrl)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    // No new windows, and no shell.openExternal of renderer-supplied URLs either.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}
