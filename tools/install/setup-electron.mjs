// `npm run setup:electron`: downloads the Electron binary and builds better-sqlite3 for
// Electron's ABI into native/electron/. Needs an internet connection.
import { join } from 'node:path'
import { buildElectronSqlite, electronSqliteBinding } from './electron-sqlite.mjs'
import { electronExecutable, lastErrorLine, projectRoot, runNodeScript } from './run-step.mjs'

if (!electronExecutable()) {
  console.log('Downloading Electron…')
  const result = await runNodeScript(join(projectRoot, 'node_modules', 'electron', 'install.js'), [], {
    timeoutMs: 900_000,
    echo: true,
  })
  if (!result.ok || !electronExecutable()) {
    console.error(`Could not download Electron: ${lastErrorLine(result.output)}`)
    process.exit(1)
  }
}
console.log(`Electron is installed (${electronExecutable()}).`)

console.log('Building better-sqlite3 for Electron…')
const sqlite = await buildElectronSqlite({ echo: true })
if (!sqlite.ok) {
  console.error(`Could not build better-sqlite3 for Electron: ${sqlite.reason}`)
  console.error('Compiling needs Python 3 and a C++ toolchain (build-essential / Xcode / Visual Studio Build Tools).')
  process.exit(1)
}
console.log(`Wrote ${electronSqliteBinding} for Electron ${sqlite.electronVersion}. Start the app with \`npm start\`.`)
