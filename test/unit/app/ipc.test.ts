import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '@shared/api/wire'

/**
 * The IPC binding with Electron's ipcMain and BrowserWindow replaced by recorders (no
 * Electron binary here); the dispatcher and sender checks are the real ones.
 */
const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  windows: [] as Array<{ sent: unknown[][]; url: string }>,
}))

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      electron.handlers.set(channel, handler),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
  BrowserWindow: {
    getAllWindows: () =>
      electron.windows.map((window) => ({
        isDestroyed: () => false,
        webContents: {
          mainFrame: { url: window.url, parent: null },
          send: (...args: unknown[]) => window.sent.push(args),
        },
      })),
  },
}))

const { bindApiToIpc, forwardEventsToWindows } = await import('../../../src-main/app/ipc')
const { EventHub } = await import('../../../src-main/core/events/event-hub')

const appFrame = { senderFrame: { url: 'rw-app://renderer/index.html', parent: null } }

beforeEach(() => {
  electron.handlers.clear()
  electron.windows.length = 0
})

describe('bindApiToIpc', () => {
  it('dispatches calls from the app page', async () => {
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 'done' }))
    bindApiToIpc(dispatch)
    const handler = electron.handlers.get(IPC_INVOKE_CHANNEL)!
    expect(await handler(appFrame, 'app.info', {})).toEqual({ ok: true, value: 'done' })
    expect(dispatch).toHaveBeenCalledWith('app.info', {})
  })

  it.each([
    ['another origin', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a subframe of the app', { senderFrame: { url: 'rw-app://renderer/index.html', parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses %s without calling the dispatcher', async (_name, event) => {
    const dispatch = vi.fn()
    bindApiToIpc(dispatch)
    const result = await electron.handlers.get(IPC_INVOKE_CHANNEL)!(event, 'project.close', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('refuses a method name that is not a string', async () => {
    const dispatch = vi.fn()
    bindApiToIpc(dispatch)
    const result = await electron.handlers.get(IPC_INVOKE_CHANNEL)!(appFrame, { toString: () => 'app.info' }, {})
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
    expect(dispatch).not.toHaveBeenCalled()
  })
})

describe('forwardEventsToWindows', () => {
  it('sends core events only to windows showing the app page', () => {
    const hub = new EventHub()
    electron.windows.push({ url: 'rw-app://renderer/index.html', sent: [] }, { url: 'https://evil.example/', sent: [] })
    forwardEventsToWindows({ events: hub } as never)
    const event: ApiEvent = { type: 'images.changed' }
    hub.emit(event)
    expect(electron.windows[0]!.sent).toEqual([[IPC_EVENT_CHANNEL, event]])
    expect(electron.windows[1]!.sent).toEqual([])
  })
})
