import { existsSync, readFileSync } from 'node:fs'
import { LOOPBACK_HOST, parseServeOptions } from './serve-options'
import { startServer } from './start-server'

/** Entry of `npm run serve`: the workbench UI and API over HTTP for a browser. */

function readAppVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
  return manifest.version ?? '0.0.0'
}

async function main(): Promise<void> {
  let options
  try {
    options = parseServeOptions(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    process.exit(2)
  }
  if (options.modelPath !== undefined && !existsSync(options.modelPath)) {
    console.error(`The model file does not exist: ${options.modelPath}`)
    process.exit(2)
  }
  if (options.hostFromFlag && options.host !== LOOPBACK_HOST) {
    console.error(
      `Warning: listening on ${options.host}. Anyone who can reach this address and has the token can open your projects and images.`,
    )
  }
  const running = await startServer({
    port: options.port,
    host: options.host,
    userDataDir: options.userDataDir,
    appVersion: readAppVersion(),
    rendererDir: options.rendererDir,
  })
  // Runs that name no model use this one, for every client of this server.
  if (options.modelPath !== undefined) running.context.runs.defaultModelPath = options.modelPath
  // Exactly one line on stdout: scripts and tests read the URL from it.
  process.stdout.write(`Retina Workbench is serving at ${running.url}\n`)

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.error(`Received ${signal}, shutting down.`)
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code
  if (code === 'EADDRINUSE') console.error('That port is already in use. Pick another with --port N (0 = any free port).')
  else console.error('Could not start the server:', error)
  process.exit(1)
})
