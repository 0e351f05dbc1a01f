import { BrowserWindow, ipcMain } from 'electron'
import { fail } from '@shared/api/result'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '@shared/api/wire'
import type { ApiContext } from '../api/api-context'
import type { Dispatch } from '../api/dispatcher'
import { isTrustedSender } from './security-policy'

/**
 * Binds the API to IPC. The dispatcher parses every argument with the method's schema;
 * before that, the sender must be the top frame of the app's own page.
 */
export function bindApiToIpc(dispatch: Dispatch, devServerUrl?: string): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, args: unknown) => {
    if (!isTrustedSender(event.senderFrame, devServerUrl)) {
      return fail('unauthorized', 'This page is not allowed to use the app API.')
    }
    if (typeof method !== 'string') return fail('unknown-method', 'The method name must be a string.')
    return dispatch(method, args)
  })
  return () => ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
}

/** Forwards core events to every window showing the app's own page. */
export function forwardEventsToWindows(context: ApiContext, devServerUrl?: string): () => void {
  return context.events.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      const frame = window.webContents.mainFrame
      if (!window.isDestroyed() && isTrustedSender(frame, devServerUrl)) window.webContents.send(IPC_EVENT_CHANNEL, event)
    }
  })
}
