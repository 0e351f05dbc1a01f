import { BrowserWindow } from 'electron'
import { APP_ENTRY_URL, secureWebPreferences } from './security-policy'

export function createMainWindow(preloadPath: string, devServerUrl?: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#1e1f22',
    title: 'Retina Workbench',
    webPreferences: secureWebPreferences(preloadPath),
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL)
  return window
}
