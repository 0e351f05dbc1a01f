import { cp, mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastErrorLine, projectRoot, readJson, runNodeScript } from './run-step.mjs'

const require = createRequire(import.meta.url)
export const electronSqliteDir = join(projectRoot, 'native', 'electron')
export const electronSqliteBinding = join(electronSqliteDir, 'better_sqlite3.node')

/**
 * Builds better-sqlite3 for Electron's ABI in a scratch copy of the package, so the Node
 * build in node_modules (used by tests, the CLI and `serve`) is never replaced. Tries the
 * published prebuilt binary first, then compiles against Electron's headers.
 */
export async function buildElectronSqlite({ timeoutMs = 600_000, echo = false } = {}) {
  const electronVersion = readJson(join(projectRoot, 'node_modules', 'electron', 'package.json')).version
  const sqlitePackage = join(projectRoot, 'node_modules', 'better-sqlite3')
  const sqliteVersion = readJson(join(sqlitePackage, 'package.json')).version
  const scratch = await mkdtemp(join(tmpdir(), 'rw-electron-sqlite-'))
  try {
    const copy = join(scratch, 'better-sqlite3')
    await cp(sqlitePackage, copy, {
      recursive: true,
      filter: (source) => !source.startsWith(join(sqlitePackage, 'build')),
    })
    const target = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`]
    const prebuilt = await runNodeScript(require.resolve('prebuild-install/bin.js'), [...target, `--platform=${process.platform}`], {
      cwd: copy,
      timeoutMs,
      echo,
    })
    let compiled
    if (!prebuilt.ok) {
      const nodeGyp = process.env.npm_config_node_gyp ?? findNpmNodeGyp()
      compiled = nodeGyp
        ? await runNodeScript(nodeGyp, ['rebuild', '--release', ...target, '--dist-url=https://electronjs.org/headers'], {
            cwd: copy,
            timeoutMs,
            echo,
          })
        : { ok: false, output: 'node-gyp not found' }
    }
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node')
    if ((!prebuilt.ok && !compiled?.ok) || !existsSync(built)) {
      const reason = `no prebuilt binary: ${lastErrorLine(prebuilt.output)}; compiling failed: ${lastErrorLine(compiled?.output ?? '')}`
      return { ok: false, reason }
    }

    await mkdir(electronSqliteDir, { recursive: true })
    await copyFile(built, electronSqliteBinding)
    await writeFile(
      join(electronSqliteDir, 'build-info.json'),
      `${JSON.stringify({ electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch, builtAt: new Date().toISOString() }, null, 2)}\n`,
    )
    return { ok: true, electronVersion }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** node-gyp as bundled with npm, for when the script is not run through `npm run`. */
function findNpmNodeGyp() {
  const candidates = [join(process.execPath, '..', '..', 'lib', 'node_modules'), join(process.execPath, '..', 'node_modules')]
  for (const globalModules of candidates) {
    const nodeGyp = join(globalModules, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
    if (existsSync(nodeGyp)) return nodeGyp
  }
  return undefined
}
