import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { serveApp } from '../helpers/serve-app'
import { byTestId } from './workbench-page'

/**
 * What the detection e2e tests do with the runs panel, the grid filters and the image
 * view's thresholds, by `data-testid`.
 */

const repositoryRoot = resolve(import.meta.dirname, '..', '..')
/** A small real RetinaNet export; it finds many shapes in the golden images. */
export const TINY_MODEL = join(repositoryRoot, 'test', 'fixtures', 'models', 'tiny-concat.onnx')
const GOLDEN_IMAGES = join(repositoryRoot, 'test', 'fixtures', 'golden', 'images')
const GOLDEN_NAMES = ['landscape-320x256.png', 'portrait-256x320.png', 'downscaled-400x300.jpg', 'upscaled-150x200.png']

export interface DetectionFolder {
  root: string
  /** Relative paths of the images a run can process. */
  readable: string[]
  /** A PNG whose header is intact (so the scan takes it) but whose pixel data is cut off. */
  corrupt: string
}

/**
 * Copies the golden images `copies` times each (as `copy-NNN-<name>`) and adds one PNG that
 * a scan accepts but no decoder can read to the end.
 */
export async function createDetectionFolder(root: string, copies = 1): Promise<DetectionFolder> {
  await mkdir(root, { recursive: true })
  const readable: string[] = []
  for (let copy = 0; copy < copies; copy++) {
    for (const name of GOLDEN_NAMES) {
      const relativePath = copies === 1 ? name : `copy-${String(copy).padStart(3, '0')}-${name}`
      await copyFile(join(GOLDEN_IMAGES, name), join(root, relativePath))
      readable.push(relativePath)
    }
  }
  const png = await readFile(join(GOLDEN_IMAGES, 'landscape-320x256.png'))
  const corrupt = 'truncated.png'
  await writeFile(join(root, corrupt), png.subarray(0, Math.floor(png.length / 2)))
  return { root, readable: readable.sort(), corrupt }
}

export interface DetectionWorkbench {
  folder: DetectionFolder
  session: BrowserSession
  /** Closes the browser and the server and deletes the folder. */
  stop(): Promise<void>
}

/**
 * A detection folder in a fresh temporary folder (see createDetectionFolder), `serve` running
 * the tiny model, and a browser on its start view.
 */
export async function startDetectionWorkbench(tempPrefix: string, folderName: string, copies = 1): Promise<DetectionWorkbench> {
  const workDir = await mkdtemp(join(tmpdir(), tempPrefix))
  const folder = await createDetectionFolder(join(workDir, folderName), copies)
  const app = await serveApp({ extraArgs: ['--model', TINY_MODEL] })
  const session = await launchBrowser()
  await session.page.goto(app.url)
  await byTestId(session.page, 'start-view').waitFor()
  return {
    folder,
    session,
    async stop() {
      // Leave the page first, so its event stream does not log reconnection failures.
      await session.page.goto('about:blank')
      await session.close()
      await app.stop()
      await rm(workDir, { recursive: true, force: true })
    },
  }
}

export interface ProgressFigures {
  runId: number
  processed: number
  total: number
  errors: number
  state: string
}

export async function runProgress(page: Page): Promise<ProgressFigures | null> {
  const element = byTestId(page, 'run-progress')
  if ((await element.count()) === 0) return null
  const read = async (name: string) => (await element.getAttribute(name)) ?? ''
  return {
    runId: Number(await read('data-run-id')),
    processed: Number(await read('data-processed')),
    total: Number(await read('data-total')),
    errors: Number(await read('data-errors')),
    state: await read('data-state'),
  }
}

/** Waits until the run shown in the panel has ended in `state`, and returns its last figures. */
export async function runEndedAs(page: Page, state: 'done' | 'cancelled', timeoutMs: number): Promise<ProgressFigures> {
  await expect.poll(async () => (await runProgress(page))?.state, { timeout: timeoutMs, interval: 250 }).toBe(state)
  const figures = await runProgress(page)
  if (!figures) throw new Error('The run progress disappeared')
  return figures
}

export async function visibleBoxes(page: Page): Promise<number> {
  return Number(await byTestId(page, 'image-stage').getAttribute('data-visible-boxes'))
}

export async function setScoreThreshold(page: Page, value: number): Promise<void> {
  await byTestId(page, 'suggestion-threshold').fill(String(value))
  await expect.poll(() => byTestId(page, 'suggestion-threshold-value').innerText()).toBe(value.toFixed(2))
}

/** Status badge of every tile on screen, by file name. */
export async function tileStatuses(page: Page): Promise<Record<string, { status: string; labels: string | null }>> {
  const entries = await page
    .locator('[data-testid="image-tile"][data-image-id]')
    .evaluateAll((elements: { getAttribute(name: string): string | null }[]) =>
      elements.map((element) => [
        (element.getAttribute('title') ?? '').split('\n')[0] ?? '',
        { status: element.getAttribute('data-status') ?? '', labels: element.getAttribute('data-label-count') },
      ]),
    )
  return Object.fromEntries(entries) as Record<string, { status: string; labels: string | null }>
}
