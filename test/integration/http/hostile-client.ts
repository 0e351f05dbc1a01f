import { type IncomingHttpHeaders, request } from 'node:http'

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

export interface RawRequest {
  method?: string
  /** Sent exactly as given; `host: null` sends no Host header at all. */
  headers?: Record<string, string | null>
  body?: string
}

/**
 * One HTTP request with full control over the headers (fetch fixes Host, Origin and
 * Sec-Fetch-*), as a hostile page or program could send it.
 */
export function sendRaw(port: number, path: string, init: RawRequest = {}): Promise<RawResponse> {
  const headers: Record<string, string> = {}
  let sendHost = true
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (value === null) {
      if (name.toLowerCase() === 'host') sendHost = false
      continue
    }
    headers[name] = value
  }
  if (sendHost && !Object.keys(headers).some((name) => name.toLowerCase() === 'host')) headers.Host = `127.0.0.1:${port}`
  if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body))
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers, setHost: false },
      (response) => {
        let text = ''
        response.setEncoding('latin1')
        response.on('data', (chunk: string) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }))
      },
    )
    outgoing.on('error', reject)
    outgoing.end(init.body)
  })
}
