import type { ServerResponse } from 'node:http'
import type { ApiResult } from '@shared/api/result'

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  })
  response.end(text)
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  })
  response.end(`${text}\n`)
}

/** Sends a status while the client may still be uploading, then drops the connection. */
export function refuseAndClose(response: ServerResponse, status: number, body: ApiResult<never>): void {
  response.on('finish', () => response.req.socket.destroySoon())
  sendJson(response, status, body, { Connection: 'close' })
}

/** One line for the log: what went wrong, without a stack trace or control characters. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return JSON.stringify(text.slice(0, 300))
}
