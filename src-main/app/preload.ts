import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { ApiEvent } from '@shared/api/events'
import type { ApiResult } from '@shared/api/result'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, PRELOAD_GLOBAL, type PreloadBridge } from '@shared/api/wire'

/**
 * The renderer's only door to the main process: two named verbs. `ipcRenderer` itself is
 * never exposed, so page code cannot send on arbitrary channels.
 */
const bridge: PreloadBridge = {
  invoke(method: string, args: unknown): Promise<ApiResult<unknown>> {
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, String(method), args) as Promise<ApiResult<unknown>>
  },
  subscribe(listener: (event: ApiEvent) => void): () => void {
    // Wrap the listener so the renderer never sees the IpcRendererEvent (it holds `sender`).
    const forward = (_event: IpcRendererEvent, apiEvent: ApiEvent) => listener(apiEvent)
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
    }
  },
}

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge)
