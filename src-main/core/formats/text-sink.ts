/**
 * Destinations for exported text: a file that appears under its real name only once
 * complete, or a stream such as standard output.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises'

/** Where a writer's JSON text goes. */
export interface TextSink {
  write(text: string): Promise<void>
  /** Everything written; make it visible under its final name. */
  commit(): Promise<void>
  /** Give up: remove what was written, if it can be removed. */
  discard(): Promise<void>
}

/** Writes `<path>.partial` in large chunks; `commit` renames it to `path`. */
export async function openFileSink(path: string): Promise<TextSink> {
  const partial = `${path}.partial`
  const handle: FileHandle = await open(partial, 'w')
  let pending: string[] = []
  let pendingLength = 0
  const flush = async () => {
    if (pending.length === 0) return
    const text = pending.join('')
    pending = []
    pendingLength = 0
    await handle.write(text)
  }
  return {
    async write(text) {
      pending.push(text)
      pendingLength += text.length
      if (pendingLength >= 1 << 20) await flush()
    },
    async commit() {
      await flush()
      await handle.close()
      await rename(partial, path)
    },
    async discard() {
      await handle.close().catch(() => undefined)
      await rm(partial, { force: true })
    },
  }
}

/** Writes to a stream (standard output), waiting for it to drain when its buffer is full. */
export function streamSink(stream: NodeJS.WritableStream): TextSink {
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const flushed = stream.write(text, (error) => (error ? reject(error) : undefined))
      if (flushed) resolve()
      else stream.once('drain', resolve)
    })
  return { write, commit: async () => undefined, discard: async () => undefined }
}
