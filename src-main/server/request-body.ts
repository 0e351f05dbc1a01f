import type { IncomingMessage } from 'node:http'

export type BodyResult = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'aborted' }

/**
 * Reads a request body up to `maxBytes`. A declared Content-Length over the limit is
 * refused before reading anything; an undeclared (chunked) body is read only until it
 * crosses the limit, then reading stops — the body is never buffered whole. A client that
 * disconnects mid-body is `aborted`: an everyday event, not an error worth a stack trace.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ kind: 'too-large' })

  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let received = 0
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBytes) {
        cleanup()
        request.pause()
        resolve({ kind: 'too-large' })
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') })
    }
    const onError = () => {
      cleanup()
      resolve({ kind: 'aborted' })
    }
    const cleanup = () => {
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('error', onError)
    }
    request.on('data', onData)
    request.on('end', onEnd)
    request.on('error', onError)
  })
}
