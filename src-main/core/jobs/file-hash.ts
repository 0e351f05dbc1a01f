import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** sha256 of a file in lower-case hex, streamed so a large model is never held in memory twice. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
