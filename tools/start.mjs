// `npm start`: the desktop app when Electron is installed, otherwise the browser version
// through `serve`, so a fresh offline install still starts something useful.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { electronExecutable, projectRoot } from './install/run-step.mjs'

const require = createRequire(import.meta.url)
const binary = (pkg, bin) => join(projectRoot, 'node_modules', pkg, bin)

/** Runs a node script to completion with inherited output; exits on failure. */
function runOrExit(script, args, description) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: projectRoot, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`${description} failed.`)
    process.exit(result.status ?? 1)
  }
}

/** Starts a long-running child, forwards Ctrl-C / SIGTERM, and exits with its code. */
function runForeground(command, args, env = {}) {
  const child = spawn(command, args, { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, ...env } })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
}

const electron = electronExecutable()
const sqliteForElectron = existsSync(join(projectRoot, 'native', 'electron', 'better_sqlite3.node'))

if (electron && sqliteForElectron) {
  runOrExit(binary('electron-vite', 'bin/electron-vite.js'), ['build'], 'Building the app')
  runForeground(electron, ['.'])
} else {
  const missing = electron
    ? 'The Electron build of the database module is missing'
    : 'Electron is not installed'
  console.log(`${missing}; run \`npm run setup:electron\` to get the desktop app. Starting the browser version instead.`)
  if (!existsSync(join(projectRoot, 'out', 'renderer', 'index.html'))) {
    runOrExit(binary('vite', 'bin/vite.js'), ['build', '--config', 'tools/build/vite.renderer.config.ts', '--logLevel', 'warn'], 'Building the user interface')
  }
  runForeground(process.execPath, [
    '--import',
    pathToFileURL(require.resolve('tsx')).href,
    join(projectRoot, 'src-main', 'server', 'main.ts'),
    ...process.argv.slice(2),
  ], { TSX_TSCONFIG_PATH: join(projectRoot, 'tsconfig.node.json') })
}
