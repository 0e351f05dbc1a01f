import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EventHub } from '../core/events/event-hub'

/** Comment lines keep proxies and idle timers from closing a quiet stream. */
const HEARTBEAT_MS = 20_000

/** Server-sent events: one `data: <ApiEvent JSON>` message per core event. */
export function openEventStream(request: IncomingMessage, response: ServerResponse, events: EventHub): void {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Content-Type-Options': 'nosniff',
  })
  response.write(': connected\n\n')
  const unsubscribe = events.subscribe((event) => {
    response.write(`data: ${JSON.stringify(event)}\n\n`)
  })
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS)
  heartbeat.unref()
  const stop = () => {
    clearInterval(heartbeat)
    unsubscribe()
  }
  request.on('close', stop)
  response.on('close', stop)
}
