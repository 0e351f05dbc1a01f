import type { ApiTransport } from '@shared/api/client'
import type { ApiEvent } from '@shared/api/events'
import type { ApiMethod } from '@shared/api/methods'
import type { ApiResult } from '@shared/api/result'
import { inEnglish, type Said } from '@shared/messages/said'
import {
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_IMAGE_PREFIX,
  HTTP_THUMBNAIL_PREFIX,
  imagePathAndQuery,
} from '@shared/api/wire'

/**
 * The API over `serve`: `POST api/<method>` with JSON, events from `events` (SSE), images
 * from `image/<id>?v=…` and `thumb/<id>?v=…`, all relative to the folder the page was opened
 * in. That folder is `/<token>/`, so every request the page makes, `<img>` tags and the event
 * stream included, carries the token in its path and nothing needs a cookie or a header.
 */
export function createHttpTransport(appRoot: string): ApiTransport {
  const listeners = new Set<(event: ApiEvent) => void>()
  let events: EventSource | null = null
  const underRoot = (path: string): string => `${appRoot}${path.replace(/^\//, '')}`

  function openEventStream(): EventSource {
    const source = new EventSource(underRoot(HTTP_EVENTS_PATH))
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
      let response: Response
      try {
        response = await fetch(underRoot(`${HTTP_API_PREFIX}${method}`), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(args ?? {}),
        })
      } catch {
        return failure('internal', { key: 'transport.unreachable' })
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
    imageUrl: (image) => underRoot(imagePathAndQuery(HTTP_IMAGE_PREFIX, image)),
    thumbnailUrl: (image) => underRoot(imagePathAndQuery(HTTP_THUMBNAIL_PREFIX, image)),
  }
}

async function readResult(response: Response, method: string): Promise<ApiResult<unknown>> {
  if (response.status === 401) {
    return failure('unauthorized', { key: 'transport.notSignedIn' })
  }
  let body: unknown
  try {
    body = await response.json()
  } catch {
    return failure('internal', { key: 'transport.unreadable', values: { method, status: response.status } })
  }
  if (isApiResult(body)) return body
  return failure('internal', { key: 'transport.unexpected', values: { method, status: response.status } })
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false
  if (value.ok === true) return 'value' in value
  return value.ok === false && 'error' in value && typeof value.error === 'object' && value.error !== null
}

/** A failure of the connection itself, said as the server's own errors are (so in the window's language). */
function failure(code: 'internal' | 'unauthorized', said: Said): ApiResult<never> {
  return { ok: false, error: { code, message: inEnglish(said), said } }
}

/**
 * The folder the page was opened in (`/<token>/` under `serve`), captured once at start-up so
 * a later change of the address bar cannot redirect the app's requests.
 */
export function appRootFromLocation(): string {
  return new URL('./', window.location.href).pathname
}
