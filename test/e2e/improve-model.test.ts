import { cp, mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { runEndedAs, TINY_MODEL } from './detection-page'
import { apiCall } from './editor-page'
import { byTestId, createProject } from './workbench-page'

/**
 * "Improve the model" as a labeler meets it: the project's reviewed samples teach the model the
 * app runs with (here the tiny fixture, `serve --model`, so one epoch takes seconds), progress
 * shows in the jobs tray, the held-out AP before and after is shown, and the trained model runs
 * over the project from one button.
 */

const samples = resolve(import.meta.dirname, '..', '..', 'resources', 'samples')
const SCREENSHOT_DIR = process.env.RW_SCREENSHOT_DIR

describe('improve the model', () => {
  let workDir: string
  let folder: string
  let app: ServedApp | undefined
  let session: BrowserSession | undefined

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-improve-'))
    folder = join(workDir, 'shapes')
    await cp(samples, folder, { recursive: true })
    app = await serveApp({ extraArgs: ['--model', TINY_MODEL] })
    session = await launchBrowser()
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
    await createProject(session.page, folder)
    await apiCall(session.page, 'labels.import', { format: 'coco', input: join(folder, 'ground-truth.json'), markReviewed: true, addClasses: true })
  }, 120_000)

  afterAll(async () => {
    await session?.page.goto('about:blank')
    await session?.close()
    await app?.stop()
    await rm(workDir, { recursive: true, force: true })
  })

  it('trains from the reviewed images with progress in the tray, then shows the held-out AP before and after', async () => {
    const { page } = session!
    const panel = byTestId(page, 'improve-model')
    await expect.poll(() => panel.innerText()).toContain('from the 16 reviewed images')
    expect(await byTestId(page, 'improve-model-out').inputValue()).toMatch(new RegExp(`^${folder}/models/shapes-\\d{8}-\\d{4}\\.onnx$`))
    await byTestId(page, 'improve-model-epochs').fill('1')
    await byTestId(page, 'improve-model-start').click()
    const job = page.locator('[data-testid="job"][data-kind="training"]')
    await job.waitFor()
    expect(await job.innerText()).toContain('Teaching shapes-')
    if (SCREENSHOT_DIR) await page.screenshot({ path: join(SCREENSHOT_DIR, 'improve-model-training.png') })
    const result = byTestId(page, 'improve-model-result')
    await result.waitFor({ timeout: 180_000 })
    expect(await result.innerText()).toMatch(/Held-out AP50 \d\.\d{3} → \d\.\d{3} on \d+ images; label threshold \d\.\d{2}\./)
    expect(await result.innerText()).toContain('New classes:')
    if (SCREENSHOT_DIR) await page.screenshot({ path: join(SCREENSHOT_DIR, 'improve-model-result.png') })
    const model = await result.locator('.path').innerText()
    expect(existsSync(model) && existsSync(model.replace(/\.onnx$/, '.json'))).toBe(true)
    await expect.poll(() => page.locator('[data-testid="job"][data-kind="training"]').count()).toBe(0)
    // The project remembers the model: it is offered below, with its scores.
    await expect.poll(() => byTestId(page, 'trained-model').count()).toBe(1)
    expect(await byTestId(page, 'trained-model').getAttribute('title')).toBe(model)
  }, 240_000)

  it('runs the trained model over every image from one button', async () => {
    const { page } = session!
    await byTestId(page, 'improve-model-run').click()
    const figures = await runEndedAs(page, 'done', 120_000)
    expect(figures.total).toBe(16)
    const runs = await apiCall<Array<{ modelPath?: string; model?: string }>>(page, 'runs.list', {})
    expect(JSON.stringify(runs[0])).toContain('shapes-')
  }, 180_000)

  it('met no script errors on the way', () => {
    expect(session!.problems).toEqual([])
  })
})
