// Runs as `postinstall`. package.json `allowScripts` blocks the install scripts of electron
// and onnxruntime-node because they download from outside the npm registry and fail
// offline; this script runs them itself, each with a timeout, and never fails the install.
import { join } from 'node:path'
import { buildElectronSqlite } from './electron-sqlite.mjs'
import { cudaPlatformSupported, electronExecutable, lastErrorLine, projectRoot, runNodeScript } from './run-step.mjs'
import { existsSync } from 'node:fs'

const skipAll = process.env.RW_SKIP_OPTIONAL_BINARIES === '1'

async function installElectron() {
  const installer = join(projectRoot, 'node_modules', 'electron', 'install.js')
  if (!existsSync(installer)) return // production install without dev dependencies
  if (!electronExecutable()) {
    const result = await runNodeScript(installer, [], { timeoutMs: 180_000 })
    if (!result.ok || !electronExecutable()) {
      console.log(
        `Skipped the Electron binary (${lastErrorLine(result.output)}); \`npm run serve\` works without it, ` +
          'run `npm run setup:electron` later for the desktop app.',
      )
      return
    }
  }
  if (existsSync(join(projectRoot, 'native', 'electron', 'better_sqlite3.node'))) return
  const sqlite = await buildElectronSqlite({ timeoutMs: 300_000 })
  if (!sqlite.ok) {
    console.log(
      `Skipped the Electron build of better-sqlite3 (${sqlite.reason}); run \`npm run setup:electron\` later for the desktop app.`,
    )
  }
}

async function installCudaProvider() {
  const installer = join(projectRoot, 'node_modules', 'onnxruntime-node', 'script', 'install.js')
  if (!existsSync(installer) || !cudaPlatformSupported()) return
  const result = await runNodeScript(installer, [], { env: { ONNXRUNTIME_NODE_INSTALL: 'cuda12' }, timeoutMs: 300_000 })
  if (!result.ok) {
    console.log(
      `Skipped the CUDA provider for ONNX Runtime (${lastErrorLine(result.output)}); detection runs on the CPU, ` +
        'run `npm run setup:cuda` later to add GPU support.',
    )
  }
}

if (skipAll) {
  console.log('Skipped Electron and CUDA downloads (RW_SKIP_OPTIONAL_BINARIES=1); see `npm run setup:electron` and `npm run setup:cuda`.')
} else {
  try {
    await installElectron()
    await installCudaProvider()
  } catch (error) {
    console.log(`Skipped optional binaries (${error instanceof Error ? error.message : String(error)}).`)
  }
}
process.exit(0)
