import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningServer, startServer } from '../../../src-main/server/start-server'

export interface ServerHarness {
  server: RunningServer
  folder: string
  rendererDir: string
  /** POST /api/<method> with the token; returns status and parsed JSON. */
  call(method: string, args?: unknown): Promise<{ status: number; body: any }>
  get(path: string, init?: RequestInit): Promise<Response>
  stop(): Promise<void>
}

export const RENDERER_INDEX = '<!doctype html><title>test renderer</title><script type="module" src="/assets/app.js"></script>'

/** A real server on a random loopback port with its own user data and a tiny renderer. */
export async function startHarness(options: { maxBodyBytes?: number } = {}): Promise<ServerHarness> {
  const folder = await mkdtemp(join(tmpdir(), 'rw-http-'))
  const rendererDir = join(folder, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), RENDERER_INDEX)
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app")\n')
  await writeFile(join(folder, 'secret.txt'), 'outside the renderer folder')

  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    userDataDir: join(folder, 'user-data'),
    appVersion: '0.0.0-test',
    rendererDir,
    ...options,
  })
  const authorization = { Authorization: `Bearer ${server.token}` }
  return {
    server,
    folder,
    rendererDir,
    async call(method, args) {
      const response = await fetch(`${server.origin}/api/${method}`, {
        method: 'POST',
        headers: { ...authorization, 'Content-Type': 'application/json' },
        body: args === undefined ? '' : JSON.stringify(args),
      })
      return { status: response.status, body: await response.json() }
    },
    get(path, init = {}) {
      return fetch(`${server.origin}${path}`, { ...init, headers: { ...authorization, ...(init.headers ?? {}) } })
    },
    async stop() {
      await server.close()
      await rm(folder, { recursive: true, force: true })
    },
  }
}
