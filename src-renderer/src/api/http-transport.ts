import type { ApiTransport } from '@shared/api/client'
import type { ApiEvent } from '@shared/api/events'
import type { ApiMethod } from '@shared/api/methods'
import type { ApiResult } from '@shared/api/result'
import {
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_IMAGE_PREFIX,
  HTTP_THUMBNAIL_PREFIX,
  HTTP_TOKEN_QUERY,
  imagePathAndQuery,
} from '@shared/api/wire'

/**
 * The API over `serve`: `POST /api/<method>` with JSON, events from `/events` (SSE), images
 * from `/image/<id>?v=…` and `/thumb/<id>?v=…`. The page is first opened as `/?token=…`; the server
 * answers with an HttpOnly cookie, so image tags and the event stream authenticate without
 * the token. The token is still sent as a bearer header while it is known.
 */
export function createHttpTransport(token: string | null): ApiTransport {
  const listeners = new Set<(event: ApiEvent) => void>()
  let events: EventSource | null = null

  function openEventStream(): EventSource {
    const source = new EventSource(HTTP_EVENTS_PATH, { withCredentials: true })
    source.onmessage = (message: MessageEvent<string>) => {
      let event: ApiEvent
      try {
        event = JSON.parse(message.data) as ApiEvent
      } catch {
        return // a malformed line is not an event; the stream itself stays usable
      }
      for (const listener of [...listeners]) listener(event)
    }
    return source
  }

  return {
    async invoke(method: ApiMethod, args: unknown): Promise<ApiResult<unknown>> {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' }
      if (token) headers.Authorization = `Bearer ${token}`
      let response: Response
      try {
        response = await fetch(`${HTTP_API_PREFIX}${method}`, {
          method: 'POST',
          headers,
          credentials: 'same-origin',
          body: JSON.stringify(args ?? {}),
        })
      } catch {
        return failure('internal', 'The Retina Workbench server cannot be reached. Is `serve` still running?')
      }
      return readResult(response, method)
    },
    subscribe(listener) {
      listeners.add(listener)
      events ??= openEventStream()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && events) {
          events.close()
          events = null
        }
      }
    },
    imageUrl: (image) => imagePathAndQuery(HTTP_IMAGE_PREFIX, image),
    thumbnailUrl: (image) => imagePathAndQuery(HTTP_THUMBNAIL_PREFIX, image),
  }
}

async function readResult(response: Response, method: string): Promise<ApiResult<unknown>> {
  if (response.status === 401) {
    return failure(
      'unauthorized',
      'This page is not signed in to the server. Open the address that `serve` printed (it ends in ?token=…).',
    )
  }
  let body: unknown
  try {
    body = await response.json()
  } catch {
    return failure('internal', `The server sent an unreadable answer to ${method} (HTTP ${response.status}).`)
  }
  if (isApiResult(body)) return body
  return failure('internal', `The server sent an unexpected answer to ${method} (HTTP ${response.status}).`)
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false
  if (value.ok === true) return 'value' in value
  return value.ok === false && 'error' in value && typeof value.error === 'object' && value.error !== null
}

function failure(code: 'internal' | 'unauthorized', message: string): ApiResult<never> {
  return { ok: false, error: { code, message } }
}

/**
 * Reads the token from the address the page was opened with and removes it from the
 * address bar, so it does not linger in history or get copied along with the URL.
 */
export function takeTokenFromLocation(): string | null {
  const url = new URL(window.location.href)
  const token = url.searchParams.get(HTTP_TOKEN_QUERY)
  if (token === null) return null
  url.searchParams.delete(HTTP_TOKEN_QUERY)
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`)
  return token
}
