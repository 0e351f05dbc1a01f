import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationReport } from '../../src-shared/api/evaluation-types'
import type { GridPage, ImageDetections, RunSummary } from '../../src-shared/api/types'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { runEndedAs, runProgress, TINY_MODEL } from './detection-page'
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
const TRAINING_TIMEOUT_MS = 180_000
const RUN_TIMEOUT_MS = 120_000

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

/** Waits until run `runId` has ended as done in the runs panel (the previous run's "done" does not count). */
async function runDone(page: Page, runId: number): Promise<void> {
  await expect
    .poll(async () => {
      const figures = await runProgress(page)
      return figures?.runId === runId ? figures.state : null
    }, { timeout: RUN_TIMEOUT_MS, interval: 250 })
    .toBe('done')
}

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

/**
 * The loop the issue asks for, as a labeler goes through it: the app's model pre-labels the
 * images, the labeler reviews some of them, teaches the model from those, runs the new model for
 * the images still unreviewed from the offer, and sees what changed in the evaluation: the new
 * run scored beside the old one on the reviewed images. The runs panel then offers both models.
 */
describe('review, train, run the new model, see the comparison', () => {
  const REVIEWED = 10
  let workDir: string
  let folder: string
  let app: ServedApp | undefined
  let session: BrowserSession | undefined
  let trainedModel: string

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-improve-loop-'))
    folder = join(workDir, 'shapes')
    await cp(samples, folder, { recursive: true })
    app = await serveApp({ extraArgs: ['--model', TINY_MODEL] })
    session = await launchBrowser()
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
    await createProject(session.page, folder)
  }, 120_000)

  afterAll(async () => {
    await session?.page.goto('about:blank')
    await session?.close()
    await app?.stop()
    await rm(workDir, { recursive: true, force: true })
  })

  it('runs the new model for the unreviewed images from the offer, then compares its run with the one before', async () => {
    const { page } = session!
    // The app's model pre-labels every image: run 1.
    await byTestId(page, 'run-start').click()
    await runDone(page, 1)
    // The labeler corrects and reviews ten images; their ground truth stands in for the corrections.
    const groundTruth = JSON.parse(await readFile(join(folder, 'ground-truth.json'), 'utf8')) as {
      images: { id: number; file_name: string }[]
      annotations: { image_id: number }[]
    }
    const reviewedImages = groundTruth.images.slice(0, REVIEWED)
    const reviewedIds = new Set(reviewedImages.map((image) => image.id))
    const reviewedFile = join(workDir, 'reviewed.json')
    await writeFile(
      reviewedFile,
      JSON.stringify({ ...groundTruth, images: reviewedImages, annotations: groundTruth.annotations.filter((label) => reviewedIds.has(label.image_id)) }),
    )
    await apiCall(page, 'labels.import', { format: 'coco', input: reviewedFile, mode: 'replace', markReviewed: true, addClasses: true })

    const panel = byTestId(page, 'improve-model')
    await expect.poll(() => panel.innerText()).toContain(`from the ${REVIEWED} reviewed images`)
    await byTestId(page, 'improve-model-epochs').fill('1')
    await byTestId(page, 'improve-model-start').click()
    const result = byTestId(page, 'improve-model-result')
    await result.waitFor({ timeout: TRAINING_TIMEOUT_MS })
    trainedModel = await result.locator('.path').innerText()

    // The offer is for the six images nobody reviewed, and says where the comparison will be.
    const offer = byTestId(page, 'improve-model-run')
    expect(await offer.innerText()).toBe('Run it for the 6 unreviewed images')
    expect(await result.innerText()).toContain('When it ends, the Detection panel offers the comparison.')
    await screenshot(page, 'improve-loop-offer')
    await offer.click()
    await runDone(page, 2)
    const [newRun, oldRun] = await apiCall<RunSummary[]>(page, 'runs.list', {})
    expect(newRun!.modelPath).toBe(trainedModel)
    expect(oldRun!.modelPath).toBe(TINY_MODEL)
    // The unreviewed images' latest detections are the new model's; the reviewed ones kept the labeler's labels.
    const grid = await apiCall<GridPage>(page, 'images.grid', { offset: 0, limit: 100 })
    const reviewedNames = new Map(reviewedImages.map((image) => [image.file_name, groundTruth.annotations.filter((label) => label.image_id === image.id).length]))
    for (const image of grid.items) {
      const labelsReviewed = reviewedNames.get(image.relativePath)
      if (labelsReviewed === undefined) {
        expect(image.status).toBe('detected')
        expect((await apiCall<ImageDetections>(page, 'detections.forImage', { imageId: image.id })).runId).toBe(2)
      } else {
        expect({ image: image.relativePath, status: image.status, labels: image.labelCount }).toEqual({ image: image.relativePath, status: 'reviewed', labels: labelsReviewed })
      }
    }

    // One click from the runs panel to what changed.
    const comparison = byTestId(page, 'run-comparison')
    await comparison.waitFor()
    expect(await comparison.getAttribute('data-run-id')).toBe('2')
    expect(await comparison.getAttribute('data-previous-run-id')).toBe('1')
    expect(await comparison.innerText()).toContain('See what changed since run 1 (tiny-concat.onnx)')
    // The trained model learnt from most reviewed images: the offer says so, and where the fair figure is.
    expect(await byTestId(page, 'run-comparison-caveat').innerText()).toContain('the held-out AP50 under Improve the model is the fair measure')
    await screenshot(page, 'improve-loop-run-done')
    await byTestId(page, 'run-comparison-open').click()
    await byTestId(page, 'evaluation-view').waitFor()
    expect(await byTestId(page, 'evaluation-run').inputValue()).toBe('2')
    expect(await byTestId(page, 'evaluation-compare').inputValue()).toBe('1')
    const compared = page.locator('[data-testid="evaluation-summary-compared"]')
    await expect.poll(() => compared.count(), { timeout: RUN_TIMEOUT_MS }).toBe(12)
    // Both runs' figures, as the evaluation scored them on the ten reviewed images.
    const report = await apiCall<EvaluationReport>(page, 'evaluation.evaluate', { runId: 2, compareRunId: 1 })
    expect(report.images).toBe(REVIEWED)
    const asShown = (summary: Record<string, number>) => Object.values(summary).map((value) => (value < 0 ? '—' : value.toFixed(3)))
    expect(await page.locator('[data-testid="evaluation-summary-value"]').allInnerTexts()).toEqual(asShown(report.primary.summary))
    expect(await compared.allInnerTexts()).toEqual(asShown(report.comparison!.summary))
    expect(await byTestId(page, 'evaluation-summary').locator('thead').innerText()).toMatch(/Run #2\s+Run #1\s+#2 − #1/)
    await screenshot(page, 'improve-loop-comparison')
  }, TRAINING_TIMEOUT_MS + 3 * RUN_TIMEOUT_MS)

  it("offers the app's model and the trained one in the runs panel; the toolbar's run uses the choice", async () => {
    const { page } = session!
    await byTestId(page, 'evaluation-back').click()
    const choice = byTestId(page, 'run-model')
    // The model last run from the Improve panel is the choice for the next runs.
    expect(await choice.inputValue()).toBe(trainedModel)
    const options = await choice.locator('option').allInnerTexts()
    expect(options[0]).toBe("The app's model")
    expect(options.slice(1)).toEqual([expect.stringMatching(/^shapes-\d{8}-\d{4}\.onnx · AP50 (\d\.\d{3}|—)$/)])
    await screenshot(page, 'improve-loop-model-choice')
    await choice.selectOption('')
    await byTestId(page, 'run-scope').selectOption('all')
    await byTestId(page, 'run-start').click()
    await runDone(page, 3)
    const [appRun] = await apiCall<RunSummary[]>(page, 'runs.list', {})
    expect(appRun!.modelPath).toBe(TINY_MODEL)
    // Back to the app's model after the trained one: that too is a change worth comparing.
    expect(await byTestId(page, 'run-comparison').getAttribute('data-previous-run-id')).toBe('2')
    expect(await byTestId(page, 'run-comparison-caveat').count()).toBe(0)
  }, RUN_TIMEOUT_MS + 30_000)

  it('words the model choice and the comparison offer in Chinese too', async () => {
    const { page } = session!
    await byTestId(page, 'language-switch').selectOption('zh-CN')
    expect(await byTestId(page, 'run-comparison').innerText()).toContain('查看与运行 2（shapes-')
    expect(await byTestId(page, 'run-comparison-open').innerText()).toBe('比较运行 3 与运行 2')
    expect(await byTestId(page, 'run-model').locator('option').first().innerText()).toBe('应用自带的模型')
    await screenshot(page, 'improve-loop-zh-CN')
    await byTestId(page, 'language-switch').selectOption('en')
  })

  it('met no script errors on the way', () => {
    expect(session!.problems).toEqual([])
  })
})
