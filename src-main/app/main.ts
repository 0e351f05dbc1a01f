import { fileURLToPath } from 'node:url'
import { app, type BrowserWindow, dialog, session } from 'electron'
import { createApiContext, disposeApiContext } from '../api/api-context'
import { createDispatcher } from '../api/dispatcher'
import { createApiHandlers } from '../api/handlers'
import { setSqliteNativeBinding } from '../core/db/native-binding'
import { desktopDefaultModelPath } from './bundled-resources'
import { pickPathWithDialog } from './dialogs'
import { bindApiToIpc, forwardEventsToWindows } from './ipc'
import { createMainWindow } from './main-window'
import { locateElectronSqliteBinding } from './native-sqlite'
import { registerImageProtocol, registerRendererProtocol } from './protocols'
import { hardenAllWebContents, hardenSession, registerPrivilegedSchemes } from './security'

/**
 * Desktop entry. Thin on purpose: it wires Electron to the same API context, dispatcher
 * and core modules that `serve` uses.
 */

// The dev server URL is honoured only in an unpackaged run started by electron-vite.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url))
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url))

registerPrivilegedSchemes()

// Same variable as `serve`: lets tests and portable setups keep data out of the profile.
if (process.env.RW_USER_DATA) app.setPath('userData', process.env.RW_USER_DATA)

let mainWindow: BrowserWindow | null = null

async function start(): Promise<void> {
  await app.whenReady()

  const binding = locateElectronSqliteBinding(app.getAppPath(), process.versions.electron)
  if (!binding.ok) {
    dialog.showErrorBox('Retina Workbench cannot start', binding.message)
    app.exit(1)
    return
  }
  setSqliteNativeBinding(binding.path)

  hardenSession(session.defaultSession, devServerUrl)
  hardenAllWebContents(devServerUrl)

  const context = createApiContext({
    appVersion: app.getVersion(),
    transport: 'electron',
    userDataDir: app.getPath('userData'),
    pickPath: pickPathWithDialog,
    defaultModelPath: desktopDefaultModelPath({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath }),
  })
  bindApiToIpc(createDispatcher(createApiHandlers(context)), devServerUrl)
  forwardEventsToWindows(context, devServerUrl)
  registerRendererProtocol(rendererDir)
  registerImageProtocol(context)

  mainWindow = createMainWindow(preloadPath, devServerUrl)
  mainWindow.on('closed', () => (mainWindow = null))

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => disposeApiContext(context))
}

// One instance per user: a second launch focuses the existing window instead.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  start().catch((error: unknown) => {
    dialog.showErrorBox('Retina Workbench failed to start', error instanceof Error ? error.message : String(error))
    app.exit(1)
  })
}
