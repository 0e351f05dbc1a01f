import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron'
import type { PathPicker } from '../api/api-context'

/** Native open dialogs for `dialog.pickPath`; resolves to null when the user cancels. */
export const pickPathWithDialog: PathPicker = async ({ kind, title }) => {
  const options: OpenDialogOptions =
    kind === 'folder'
      ? { title: title ?? 'Choose an image folder', properties: ['openDirectory', 'createDirectory'] }
      : {
          title: title ?? 'Open a project',
          properties: ['openFile'],
          filters: [{ name: 'Retina Workbench project', extensions: ['rwproj'] }],
        }
  const window = BrowserWindow.getFocusedWindow()
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}
