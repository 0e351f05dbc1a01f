import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'

/**
 * Refuses requests that do not come from the server's own page. The token cookie alone is not
 * enough: browsers send it to every port of 127.0.0.1, and SameSite treats all ports as one
 * site, so a page served by any other local program could otherwise use it. Checked here:
 *
 * - `Host` must name an address the server listens on (or `localhost`) and its port, which
 *   also defeats DNS rebinding (a foreign name that resolves to 127.0.0.1);
 * - `Origin`, when sent, must be exactly the server's own origin;
 * - `Sec-Fetch-Site: cross-site | same-site` is refused for the API, images and events
 *   (`same-site` is what another port of the same host is).
 */

const UNSPECIFIED_ADDRESSES = new Set(['0.0.0.0', '::', ''])
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/

export type GuardRefusal = { status: 403 | 400; reason: string }

function bareHostname(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname
}

/** True when `hostname` (from a Host header) names an address this server listens on. */
export function isListenedHostname(hostname: string, listenHost: string): boolean {
  const bare = bareHostname(hostname.toLowerCase())
  const listening = bareHostname(listenHost.toLowerCase())
  if (bare === 'localhost' || bare === listening) return true
  // Listening on every interface: any address literal reaches it, but no name does (rebinding).
  return UNSPECIFIED_ADDRESSES.has(listening) && isIP(bare) !== 0
}

function checkHost(request: IncomingMessage, listenHost: string): GuardRefusal | undefined {
  const header = request.headers.host
  if (!header) return { status: 400, reason: 'The request has no Host header.' }
  const match = HOST_HEADER.exec(header.toLowerCase())
  if (!match) return { status: 400, reason: 'The Host header is malformed.' }
  const port = Number(match[2] ?? '80')
  if (!isListenedHostname(match[1]!, listenHost) || port !== request.socket.localPort) {
    return { status: 403, reason: `This server does not answer to the host name "${header.slice(0, 100)}".` }
  }
  return undefined
}

/**
 * Why the request must be refused, or undefined when it may go on. `resource` is true for
 * the API, images and events; the renderer's static files may be opened by a link from
 * elsewhere (they hold nothing private, and without the token they are a 401 anyway).
 */
export function checkRequestOrigin(
  request: IncomingMessage,
  listenHost: string,
  resource: boolean,
): GuardRefusal | undefined {
  const hostRefusal = checkHost(request, listenHost)
  if (hostRefusal) return hostRefusal
  const origin = request.headers.origin
  if (origin !== undefined && origin.toLowerCase() !== `http://${request.headers.host!.toLowerCase()}`) {
    return { status: 403, reason: 'Requests from other web pages are refused.' }
  }
  const site = request.headers['sec-fetch-site']
  if (resource && (site === 'cross-site' || site === 'same-site')) {
    return { status: 403, reason: 'Requests from other web pages are refused.' }
  }
  return undefined
}

/** API calls must say they send JSON: a form or a no-cors fetch cannot set this type. */
export function isJsonContentType(request: IncomingMessage): boolean {
  const type = request.headers['content-type']
  return type !== undefined && /^application\/json\s*(;|$)/i.test(type)
}
