import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createImageFolder } from '../helpers/image-folder'

/**
 * Launches the real desktop app. Machines without the Electron binary (or without the
 * Electron build of better-sqlite3) report every test as skipped, with the reason.
 */

const root = process.cwd()

function electronExecutable(): string | undefined {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const executable = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(executable) ? executable : undefined
}

const executable = electronExecutable()
const skipReason = !executable
  ? 'Electron binary not installed; run npm run setup:electron'
  : !existsSync(join(root, 'native', 'electron', 'better_sqlite3.node'))
    ? 'Electron build of better-sqlite3 missing; run npm run setup:electron'
    : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
      ? 'no display to open a window on; run the tests under xvfb-run'
      : undefined
const runs = skipReason === undefined
const title = (name: string) => (runs ? name : `${name} [skipped: ${skipReason}]`)

let app: ElectronApplication | undefined
let page: Page
let folder: string

beforeAll(async () => {
  if (!runs) return
  folder = await mkdtemp(join(tmpdir(), 'rw-electron-'))
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (build.status !== 0) throw new Error('electron-vite build failed')
  app = await electron.launch({
    executablePath: executable!,
    args: ['.'],
    cwd: root,
    env: { ...process.env, RW_USER_DATA: join(folder, 'user-data') } as Record<string, string>,
  })
  page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
}, 180_000)

afterAll(async () => {
  await app?.close()
  if (folder) await rm(folder, { recursive: true, force: true })
})

describe('desktop app', () => {
  it.skipIf(!runs)(title('loads the renderer from the app scheme, not file://'), () => {
    expect(page.url()).toBe('rw-app://renderer/index.html')
  })

  it.skipIf(!runs)(title('exposes only the named preload verbs and no Node'), async () => {
    const exposed = await page.evaluate(() => {
      const global = globalThis as unknown as Record<string, unknown>
      return {
        keys: Object.keys(global.retinaWorkbench as object).sort(),
        require: typeof global.require,
        process: typeof global.process,
        ipcRenderer: typeof (global.retinaWorkbench as Record<string, unknown>).ipcRenderer,
      }
    })
    expect(exposed).toEqual({ keys: ['invoke', 'subscribe'], require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' })
  })

  it.skipIf(!runs)(title('answers API calls over IPC, validating arguments'), async () => {
    const info = await page.evaluate(() =>
      (globalThis as unknown as { retinaWorkbench: { invoke(m: string, a: unknown): Promise<unknown> } }).retinaWorkbench.invoke('app.info', {}),
    )
    expect(info).toMatchObject({ ok: true, value: { transport: 'electron', canPickPaths: true } })
    const bad = await page.evaluate(() =>
      (globalThis as unknown as { retinaWorkbench: { invoke(m: string, a: unknown): Promise<unknown> } }).retinaWorkbench.invoke('images.get', { imageId: '../x' }),
    )
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
  })

  it.skipIf(!runs)(title('serves project images through rw-image:// only by id'), async () => {
    const images = await createImageFolder(join(folder, 'images'))
    const loads = await page.evaluate(async (imageFolder) => {
      type Bridge = { invoke(m: string, a: unknown): Promise<{ ok: boolean }> }
      type ImageElement = { src: string; onload: (() => void) | null; onerror: (() => void) | null }
      const global = globalThis as unknown as { retinaWorkbench: Bridge; Image: new () => ImageElement }
      const created = await global.retinaWorkbench.invoke('project.create', { imageFolder })
      // Loaded the way the renderer does it, through <img>, which the page's CSP allows.
      const loads = (url: string) =>
        new Promise<boolean>((resolve) => {
          const image = new global.Image()
          image.onload = () => resolve(true)
          image.onerror = () => resolve(false)
          image.src = url
        })
      return {
        created: created.ok,
        image: await loads('rw-image://project/image/1'),
        thumb: await loads('rw-image://project/thumb/1'),
        missing: await loads('rw-image://project/image/99999'),
        traversal: await loads('rw-image://project/image/..%2f..%2fetc%2fpasswd'),
      }
    }, images.root)
    expect(loads).toEqual({ created: true, image: true, thumb: true, missing: false, traversal: false })
  })

  it.skipIf(!runs)(title('blocks new windows and navigation away from the app'), async () => {
    type BrowserGlobal = { open(url: string): unknown; location: { href: string } }
    const opened = await page.evaluate(() => (globalThis as unknown as BrowserGlobal).open('https://example.com') === null)
    expect(opened).toBe(true)
    await page.evaluate(() => {
      ;(globalThis as unknown as BrowserGlobal).location.href = 'https://example.com'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe('rw-app://renderer/index.html')
    expect(app!.windows()).toHaveLength(1)
  })
})
