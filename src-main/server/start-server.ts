import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type ApiContext, createApiContext, disposeApiContext } from '../api/api-context'
import { createDispatcher } from '../api/dispatcher'
import { createApiHandlers } from '../api/handlers'
import { generateToken } from './auth'
import { createWorkbenchServer } from './http-server'

export interface StartServerOptions {
  port: number
  host: string
  userDataDir: string
  appVersion: string
  rendererDir?: string | undefined
  /** Fixed token for tests; a random one otherwise. */
  token?: string
  maxBodyBytes?: number
}

export interface RunningServer {
  url: string
  /** Scheme, host and port: the address without the token's path. */
  origin: string
  port: number
  token: string
  context: ApiContext
  server: Server
  close(): Promise<void>
}

/** out/renderer at the repository root, both from source (tsx) and from a build in out/. */
export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../../out/renderer', import.meta.url))
}

/** Starts the HTTP transport with its own API context. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const token = options.token ?? generateToken()
  const context = createApiContext({ appVersion: options.appVersion, transport: 'http', userDataDir: options.userDataDir })
  const dispatch = createDispatcher(createApiHandlers(context))
  const server = createWorkbenchServer({
    context,
    dispatch,
    token,
    rendererDir: options.rendererDir ?? defaultRendererDir(),
    listenHost: options.host,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host
  const origin = `http://${hostForUrl}:${port}`
  return {
    url: `${origin}/${token}/`,
    origin,
    port,
    token,
    context,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Event streams stay open forever; end them so close() can finish.
        server.closeAllConnections()
        disposeApiContext(context)
      }),
  }
}
