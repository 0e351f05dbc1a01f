import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { resolveCommandLinePath } from '../core/user-paths'

export const DEFAULT_PORT = 7420
export const LOOPBACK_HOST = '127.0.0.1'

export interface ServeOptions {
  port: number
  host: string
  /** True when --host was given: the server may be reachable from other machines. */
  hostFromFlag: boolean
  userDataDir: string
  rendererDir: string | undefined
  /** The model of detection runs that do not name one; undefined means the bundled model. */
  modelPath: string | undefined
}

/** Where the desktop app keeps its data on this platform, so both share recent projects. */
export function defaultUserDataDir(): string {
  const appFolder = 'retina-workbench'
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appFolder)
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appFolder)
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), appFolder)
}

export const SERVE_USAGE = `Usage: npm run serve -- [--port N] [--host ADDRESS] [--user-data DIR] [--renderer-dir DIR] [--model FILE]
  --port N          port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host ADDRESS    address to bind (default ${LOOPBACK_HOST}; anything else is reachable from the network)
  --user-data DIR   where the recent-projects list and thumbnails are kept (also RW_USER_DATA)
  --renderer-dir D  built renderer to serve (default out/renderer)
  --model FILE      ONNX model for detection runs, its config JSON beside it (also RW_MODEL;
                    default: the bundled model)`

/** Parses `serve` flags; throws an Error with a readable message on bad input. */
export function parseServeOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  const options: ServeOptions = {
    port: DEFAULT_PORT,
    host: LOOPBACK_HOST,
    hostFromFlag: false,
    userDataDir: env.RW_USER_DATA ? resolve(env.RW_USER_DATA) : defaultUserDataDir(),
    rendererDir: undefined,
    modelPath: env.RW_MODEL ? resolveCommandLinePath(env.RW_MODEL, 'RW_MODEL') : undefined,
  }
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!
    const [name, inlineValue] = flag.startsWith('--') && flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined]
    const value = () => {
      const next = inlineValue ?? argv[++index]
      if (next === undefined || next === '') throw new Error(`${name} needs a value.\n${SERVE_USAGE}`)
      return next
    }
    switch (name) {
      case '--port': {
        const text = value()
        const port = Number(text)
        if (!/^\d+$/.test(text) || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got "${text}".`)
        options.port = port
        break
      }
      case '--host':
        options.host = value()
        options.hostFromFlag = true
        break
      case '--user-data':
        options.userDataDir = resolve(value())
        break
      case '--renderer-dir':
        options.rendererDir = resolve(value())
        break
      case '--model':
        options.modelPath = resolveCommandLinePath(value(), '--model')
        break
      default:
        throw new Error(`Unknown option "${flag}".\n${SERVE_USAGE}`)
    }
  }
  return options
}
