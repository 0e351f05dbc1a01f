import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

/** The repository root: this file is test/helpers/serve-app.ts. */
const repositoryRoot = resolve(import.meta.dirname, '..', '..')
const builtRendererIndex = join(repositoryRoot, 'out', 'renderer', 'index.html')
const SERVE_LINE = /Retina Workbench is serving at (http:\/\/\S+)/
const STARTUP_TIMEOUT_MS = 60_000

export interface ServedApp {
  /** The address printed by `serve`: `http://127.0.0.1:<port>/<token>/`. */
  url: string
  /** Scheme, host and port, without the token's path. */
  origin: string
  token: string
  userDataDir: string
  /** Everything the server wrote to stderr so far, for failure messages. */
  stderr(): string
  stop(): Promise<void>
}

export interface ServeOptions {
  /** Reuse a user-data folder (e.g. to check the recent-projects list across restarts). */
  userDataDir?: string
  /** More `serve` flags, e.g. `['--model', 'test/fixtures/models/tiny-concat.onnx']`. */
  extraArgs?: readonly string[]
}

/**
 * Starts `serve` on a random loopback port as a child process, exactly as a user would run
 * it, and resolves once it prints its address. `stop()` ends the whole process group.
 */
export async function serveApp(options: ServeOptions = {}): Promise<ServedApp> {
  if (!existsSync(builtRendererIndex)) {
    throw new Error(`The renderer is not built (${builtRendererIndex} is missing). Run: npm run build:renderer`)
  }
  const ownsUserData = options.userDataDir === undefined
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'rw-e2e-user-data-')))
  const args = ['tsx', '--tsconfig', 'tsconfig.node.json', 'src-main/server/main.ts', '--port', '0', '--user-data', userDataDir]
  const child = spawn('npx', [...args, ...(options.extraArgs ?? [])], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() also ends the node process that npx and tsx start.
    detached: true,
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

  let url: string
  try {
    url = await waitForAddress(child, () => stderr)
  } catch (error) {
    await killGroup(child)
    if (ownsUserData) await rm(userDataDir, { recursive: true, force: true })
    throw error
  }
  const parsed = new URL(url)
  const token = parsed.pathname.split('/')[1] ?? ''
  return {
    url,
    origin: parsed.origin,
    token,
    userDataDir,
    stderr: () => stderr,
    async stop() {
      await killGroup(child)
      if (ownsUserData) await rm(userDataDir, { recursive: true, force: true })
    },
  }
}

function waitForAddress(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! })
    const timer = setTimeout(
      () => reject(new Error(`serve printed no address within ${STARTUP_TIMEOUT_MS} ms.\n${stderr()}`)),
      STARTUP_TIMEOUT_MS,
    )
    lines.on('line', (line) => {
      const match = SERVE_LINE.exec(line)
      if (!match?.[1]) return
      clearTimeout(timer)
      resolvePromise(match[1])
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`serve exited before printing its address (code ${code}, signal ${signal}).\n${stderr()}`))
    })
  })
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()))
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    return // the group is already gone
  }
  const forced = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }, 5_000)
  await exited
  clearTimeout(forced)
}
