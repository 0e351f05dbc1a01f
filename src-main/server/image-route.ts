import { createReadStream } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiContext } from '../api/api-context'
import { accessProjectImage, type ImageVariant } from '../api/image-access'
import { describeError, sendText } from './responses'

const NOT_FOUND_TEXT = 'No such image in the open project'

/**
 * GET /image/<id> and /thumb/<id>. Nothing a project file contains may end the process:
 * every value that reaches a header is checked or derived (see accessProjectImage), and the
 * stream callbacks, which run outside the route's try/catch, catch their own errors.
 */
export async function serveProjectImage(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  variant: ImageVariant,
  idSegment: string,
  version: string | null,
): Promise<void> {
  let result
  try {
    result = await accessProjectImage(context, variant, idSegment, version)
  } catch (error) {
    // The file changed since the scan and no longer decodes; the app shows a placeholder.
    console.error(`Could not read ${variant} ${idSegment}: ${describeError(error)}`)
    sendText(response, 500, 'This image could not be read')
    return
  }
  if (result.kind === 'not-found') {
    if (result.reason) console.error(`Refused ${variant} ${idSegment}: ${result.reason}`)
    sendText(response, 404, NOT_FOUND_TEXT)
    return
  }
  const headers = {
    'Content-Type': result.contentType,
    'Cache-Control': 'private, no-cache',
    ETag: result.etag,
    'X-Content-Type-Options': 'nosniff',
  }
  if (request.headers['if-none-match'] === result.etag) {
    response.writeHead(304, headers)
    response.end()
    return
  }
  if (result.kind === 'buffer') {
    response.writeHead(200, { ...headers, 'Content-Length': String(result.data.length) })
    response.end(request.method === 'HEAD' ? undefined : result.data)
    return
  }
  const stream = createReadStream(result.path)
  stream.once('open', () => {
    try {
      response.writeHead(200, headers)
      if (request.method === 'HEAD') {
        stream.destroy()
        response.end()
      } else stream.pipe(response)
    } catch (error) {
      console.error(`Could not send ${variant} ${idSegment}: ${describeError(error)}`)
      stream.destroy()
      response.destroy()
    }
  })
  stream.once('error', () => {
    if (!response.headersSent) sendText(response, 404, NOT_FOUND_TEXT)
    else response.destroy()
  })
}
