import { readFile } from 'node:fs/promises'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationImages, EvaluationReport, ImageEvaluation } from '../../src-shared/api/evaluation-types'
import type { ImageLabels, LabelThresholds } from '../../src-shared/api/label-types'
import type { GridPage, ProjectClass, RunSummary } from '../../src-shared/api/types'
import type { BrowserSession } from '../helpers/browser'
import { runEndedAs, startDetectionWorkbench, type DetectionWorkbench } from './detection-page'
import { apiCall, labelsOf } from './editor-page'
import { byTestId, canvasPixel, createProject, stage, stageTransform } from './workbench-page'

/**
 * The evaluation view in Chromium against `serve` with the tiny model: a person corrects and
 * reviews a few images, opens the evaluation, follows a confusion cell to an image and sees
 * the false positives and missed labels marked on it.
 */

const RUN_TIMEOUT_MS = 120_000
const SCREENSHOT_DIR = process.env.RW_SCREENSHOT_DIR
/** A tall thin box in a corner: no detection of the tiny model overlaps it by IoU 0.5. */
const HAND_DRAWN_BOX: [number, number, number, number] = [4, 4, 24, 84]

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

async function gridImageIds(page: Page): Promise<number[]> {
  const grid = await apiCall<GridPage>(page, 'images.grid', { offset: 0, limit: 100 })
  return grid.items.filter((item) => item.status !== 'error').map((item) => item.id)
}

function cell(page: Page, row: number, column: number) {
  return page.locator(`[data-testid="confusion-cell"][data-row="${row}"][data-column="${column}"]`)
}

describe('evaluation view', () => {
  let workbench: DetectionWorkbench | undefined
  let session: BrowserSession
  let runId: number
  let report: EvaluationReport
  let correctedImage: number

  beforeAll(async () => {
    workbench = await startDetectionWorkbench('rw-e2e-evaluation-', 'shapes')
    session = workbench.session
  })

  afterAll(async () => {
    await workbench?.stop()
  })

  it('scores a run on the images a person corrected and reviewed', { timeout: RUN_TIMEOUT_MS + 60_000 }, async () => {
    const { page } = session
    await createProject(page, workbench!.folder.root)
    await byTestId(page, 'run-start').click()
    await runEndedAs(page, 'done', RUN_TIMEOUT_MS)
    runId = (await apiCall<RunSummary[]>(page, 'runs.list', {}))[0]!.id
    const classes = await apiCall<ProjectClass[]>(page, 'classes.list', {})
    const imageIds = await gridImageIds(page)
    expect(imageIds.length).toBeGreaterThanOrEqual(3)

    // Image 1: a label drawn by hand where the model found nothing (a miss), and its best
    // detection's label deleted (a false positive).
    correctedImage = imageIds[0]!
    const first: ImageLabels = await labelsOf(page, correctedImage)
    const detectedLabel = first.labels.find((label) => label.detectionId !== null)
    expect(detectedLabel, 'the tiny model labels the first image').toBeDefined()
    await apiCall(page, 'labels.edit', { imageId: correctedImage, command: 'draw', changes: [{ op: 'create', classId: classes[0]!.id, box: HAND_DRAWN_BOX }] })
    await apiCall(page, 'labels.edit', { imageId: correctedImage, command: 'delete', changes: [{ op: 'delete', labelId: detectedLabel!.id }] })
    // Image 2: one label relabelled to another class (a confusion between classes).
    const second = await labelsOf(page, imageIds[1]!)
    const relabelled = second.labels[0]!
    const otherClass = classes.find((entry) => entry.id !== relabelled.classId)!
    await apiCall(page, 'labels.edit', {
      imageId: imageIds[1]!,
      command: 'relabel',
      changes: [{ op: 'update', labelId: relabelled.id, classId: otherClass.id, box: relabelled.box }],
    })
    // Image 3 kept as the model labelled it.
    for (const imageId of imageIds.slice(0, 3)) await apiCall(page, 'images.setReviewed', { imageId, reviewed: true })

    await byTestId(page, 'open-evaluation').click()
    await byTestId(page, 'evaluation-view').waitFor()
    await expect.poll(() => byTestId(page, 'evaluation-scope').getAttribute('data-images')).toBe('3')
    report = await apiCall<EvaluationReport>(page, 'evaluation.evaluate', { runId })
    // The view shows the API's figures: the twelve summary numbers and one row per class.
    const shown = await page.locator('[data-testid="evaluation-summary-value"]').allInnerTexts()
    expect(shown).toEqual(Object.values(report.primary.summary).map((value) => (value < 0 ? '—' : value.toFixed(3))))
    expect(await page.locator('[data-testid="evaluation-class-row"]').count()).toBe(report.primary.perClass.length)
    expect(await page.locator('[data-testid="evaluation-curve"]').count()).toBe(report.primary.perClass.filter((entry) => entry.curve.some((point) => point.precision > 0)).length)
    expect(report.primary.operatingPoint.falseNegatives).toBeGreaterThan(0)
    expect(report.primary.operatingPoint.falsePositives).toBeGreaterThan(0)
    await screenshot(page, 'evaluation-view')
  })

  it('follows a "missed" cell to the image, where the missed label is marked on the canvas', async () => {
    const { page } = session
    const { confusion } = report.primary
    const missedColumn = confusion.columns.length - 1
    const row = confusion.counts.findIndex((counts) => counts[missedColumn]! > 0)
    expect(row).toBeGreaterThanOrEqual(0)
    await cell(page, row, missedColumn).click()
    const list = byTestId(page, 'evaluation-image-list-count')
    await list.waitFor()
    // The list accounts for every box of the cell.
    expect(Number(await list.getAttribute('data-boxes'))).toBe(confusion.counts[row]![missedColumn])
    const listed = await page.locator('[data-testid="evaluation-image"]').evaluateAll((rows) => rows.map((element) => Number(element.getAttribute('data-image-id'))))
    expect(listed).toContain(correctedImage)

    await page.locator(`[data-testid="evaluation-image"][data-image-id="${correctedImage}"]`).click()
    await byTestId(page, 'image-view').waitFor()
    await expect.poll(() => stage(page).getAttribute('data-image-id')).toBe(String(correctedImage))
    const judged = await apiCall<ImageEvaluation>(page, 'evaluation.forImage', { runId, imageId: correctedImage })
    expect(judged.missed.some((label) => label.box.every((value, index) => value === HAND_DRAWN_BOX[index]))).toBe(true)
    await expect.poll(() => stage(page).getAttribute('data-evaluation-missed')).toBe(String(judged.missed.length))
    const falsePositives = judged.detections.filter((entry) => entry.verdict !== 'truePositive').length
    expect(falsePositives).toBeGreaterThan(0)
    expect(await stage(page).getAttribute('data-evaluation-false-positives')).toBe(String(falsePositives))
    expect(await byTestId(page, 'evaluation-bar-missed').getAttribute('data-count')).toBe(String(judged.missed.length))

    // The mark is drawn: magenta on the topmost layer, just right of the hand-drawn box. The
    // transform is read on every try: the evaluation bar's arrival above the image refits it.
    const markPixel = async () => {
      const transform = await stageTransform(page)
      const lineWidth = 2
      const pad = lineWidth + 2 + 1
      const x = HAND_DRAWN_BOX[2] * transform.scale + transform.offsetX + pad
      const y = ((HAND_DRAWN_BOX[1] + HAND_DRAWN_BOX[3]) / 2) * transform.scale + transform.offsetY
      return canvasPixel(page, x, y, 'topmost')
    }
    await expect
      .poll(
        async () => {
          const [red, green, blue, alpha] = await markPixel()
          return red! > 200 && green! < 120 && blue! > 200 && alpha! > 200
        },
        { timeout: 10_000 },
      )
      .toBe(true)
    await screenshot(page, 'evaluation-highlights')

    // Drawing a label over nothing is no miss any more once deleted: the marks follow the labels.
    const labels = await labelsOf(page, correctedImage)
    const handDrawn = labels.labels.find((label) => label.origin === 'manual')!
    await apiCall(page, 'labels.edit', { imageId: correctedImage, command: 'delete', changes: [{ op: 'delete', labelId: handDrawn.id }] })
    await expect.poll(() => stage(page).getAttribute('data-evaluation-missed')).toBe(String(judged.missed.length - 1))

    // G goes back to the evaluation, with the list still there, which now says its figures are out of date.
    await stage(page).click({ position: { x: 2, y: 2 } })
    await page.keyboard.press('g')
    await byTestId(page, 'evaluation-view').waitFor()
    expect(await page.locator('[data-testid="evaluation-image"]').count()).toBe(listed.length)
    await expect.poll(() => byTestId(page, 'evaluation-refresh').innerText()).toBe('Labels changed: refresh')
    await byTestId(page, 'evaluation-refresh').click()
    await expect.poll(() => byTestId(page, 'evaluation-refresh').innerText()).toBe('Refresh')
  })

  it('shows its bar only on the images of the list, and drops it on the way to the grid and after an export', async () => {
    const { page } = session
    // The images of a cell of the confusion matrix (the refresh above cleared the list).
    const { counts } = (await apiCall<EvaluationReport>(page, 'evaluation.evaluate', { runId })).primary.confusion
    const row = counts.findIndex((cells) => cells.some((count) => count > 0))
    await cell(page, row, counts[row]!.findIndex((count) => count > 0)).click()
    await page.locator('[data-testid="evaluation-image"]').first().waitFor()
    const listed = await page.locator('[data-testid="evaluation-image"]').evaluateAll((rows) => rows.map((element) => Number(element.getAttribute('data-image-id'))))
    const outside = (await gridImageIds(page)).filter((id) => !listed.includes(id))
    expect(outside.length, 'some images are outside the list').toBeGreaterThan(0)
    await page.locator(`[data-testid="evaluation-image"][data-image-id="${listed[0]}"]`).click()
    await expect.poll(() => stage(page).getAttribute('data-image-id')).toBe(String(listed[0]))
    await byTestId(page, 'evaluation-bar').waitFor()
    await stage(page).click({ position: { x: 2, y: 2 } })

    // D steps in grid order (past any unreadable image); on an image outside the list the bar and its marks go.
    let shown = listed[0]!
    const total = (await apiCall<GridPage>(page, 'images.grid', { offset: 0, limit: 100 })).total
    for (let step = 0; !outside.includes(shown) && step < total; step++) {
      await page.keyboard.press('d')
      await expect.poll(() => stage(page).getAttribute('data-image-id')).not.toBe(String(shown))
      shown = Number(await stage(page).getAttribute('data-image-id'))
    }
    expect(outside).toContain(shown)
    await expect.poll(() => byTestId(page, 'evaluation-bar').count()).toBe(0)
    expect(await stage(page).getAttribute('data-evaluation-missed')).toBe('0')
    expect(await stage(page).getAttribute('data-evaluation-false-positives')).toBe('0')
    // [ leads back into the list, and the bar with it.
    await page.keyboard.press('[')
    await expect.poll(async () => listed.includes(Number(await stage(page).getAttribute('data-image-id')))).toBe(true)
    await byTestId(page, 'evaluation-bar').waitFor()

    // G goes back to the evaluation, "← Grid" to the grid: the list is left behind, and an image
    // opened from the grid (even one of the list) has no bar.
    await page.keyboard.press('g')
    await byTestId(page, 'evaluation-view').waitFor()
    await byTestId(page, 'evaluation-back').click()
    await page.locator(`[data-testid="image-tile"]`).first().click()
    await byTestId(page, 'image-view').waitFor()
    await page.locator('[data-testid="image-stage"][data-image-width]').waitFor()
    expect(await byTestId(page, 'evaluation-bar').count()).toBe(0)
    expect(await stage(page).getAttribute('data-evaluation-missed')).toBe('0')

    // An export (from the grid) changes nothing of that.
    await page.keyboard.press('g')
    await byTestId(page, 'export-labels').click()
    await byTestId(page, 'export-folder').fill(join(workbench!.folder.root, '..', 'evaluation-bar-export'))
    await byTestId(page, 'export-start').click()
    await byTestId(page, 'export-result').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => byTestId(page, 'export-dialog').count()).toBe(0)
    await page.locator(`[data-testid="image-tile"]`).first().click()
    await page.locator('[data-testid="image-stage"][data-image-width]').waitFor()
    expect(await byTestId(page, 'evaluation-bar').count()).toBe(0)

    // Back to the evaluation for the tests that follow.
    await page.keyboard.press('g')
    await byTestId(page, 'open-evaluation').click()
    await byTestId(page, 'evaluation-view').waitFor()
  })

  it('lists the images of a class confusion and of a histogram bar with the same counts as the API', async () => {
    const { page } = session
    report = await apiCall<EvaluationReport>(page, 'evaluation.evaluate', { runId })
    const { counts, classIds } = report.primary.confusion
    const classes = classIds.length
    let confused: [number, number] | null = null
    counts.forEach((row, r) => row.forEach((count, c) => {
      if (r < classes && c < classes && r !== c && count > 0) confused ??= [r, c]
    }))
    expect(confused, 'the relabelled label shows as a confusion between classes').not.toBeNull()
    const [row, column] = confused!
    await cell(page, row, column).click()
    await expect.poll(() => byTestId(page, 'evaluation-image-list-count').getAttribute('data-boxes')).toBe(String(counts[row]![column]))

    const bar = page.locator('[data-testid="histogram-bar"][data-outcome="falsePositive"]').first()
    const barCount = Number(await bar.getAttribute('data-count'))
    await bar.click()
    await expect.poll(() => byTestId(page, 'evaluation-image-list-count').getAttribute('data-boxes')).toBe(String(barCount))
    const title = await byTestId(page, 'evaluation-image-list-title').innerText()
    const [minScore, maxScore] = title.match(/(\d\.\d\d)–(\d\.\d\d)/)!.slice(1).map(Number)
    const images = await apiCall<EvaluationImages>(page, 'evaluation.images', {
      runId,
      selection: { kind: 'detections', classId: null, outcome: 'falsePositive', minScore, ...(maxScore! >= 1 ? {} : { maxScore }) },
    })
    expect(images.boxes).toBe(barCount)
  })

  it('saves the curves as SVG and PNG files', async () => {
    const { page } = session
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'evaluation-curves-svg').click()])
    expect(svgDownload.suggestedFilename()).toBe(`precision-recall-run-${runId}.svg`)
    const svg = await readFile((await svgDownload.path())!, 'utf8')
    expect(svg.startsWith('<?xml')).toBe(true)
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"')
    expect(svg.match(/<polyline/g)?.length).toBe(await page.locator('[data-testid="evaluation-curve"]').count())
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'evaluation-curves-png').click()])
    const png = await readFile((await pngDownload.path())!)
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  })

  it('applies the best-F1 scores as the label thresholds of the classes that have one', async () => {
    const { page } = session
    const suggested = report.primary.perClass.filter((entry) => entry.suggestedThresholds.bestF1 !== null)
    expect(suggested.length).toBeGreaterThan(0)
    await byTestId(page, 'evaluation-apply-best-f1').click()
    await byTestId(page, 'evaluation-apply-outcome').waitFor()
    const thresholds = await apiCall<LabelThresholds>(page, 'labelThresholds.get', {})
    for (const entry of suggested) expect(thresholds.perClass[entry.classId]).toBeCloseTo(Math.max(0.001, entry.suggestedThresholds.bestF1!.score), 9)
    // Scored again at the new thresholds.
    await expect.poll(async () => (await apiCall<EvaluationReport>(page, 'evaluation.evaluate', { runId })).primary.perClass.map((entry) => entry.labelThreshold)).toEqual(
      report.primary.perClass.map((entry) => (entry.suggestedThresholds.bestF1 ? Math.max(0.001, entry.suggestedThresholds.bestF1.score) : entry.labelThreshold)),
    )
  })

  it('compares a second run with the first on the same reviewed images, side by side', { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
    const { page } = session
    await byTestId(page, 'evaluation-back').click()
    await byTestId(page, 'run-scope').selectOption('all')
    await byTestId(page, 'run-start').click()
    // The panel still shows the first run as done: wait for the new run to be listed as done.
    const newest = async () => (await apiCall<RunSummary[]>(page, 'runs.list', {}))[0]!
    await expect.poll(async () => { const run = await newest(); return run.id !== runId && run.state === 'done' }, { timeout: RUN_TIMEOUT_MS, interval: 250 }).toBe(true)
    const secondRun = (await newest()).id
    await byTestId(page, 'open-evaluation').click()
    await byTestId(page, 'evaluation-compare').selectOption(String(secondRun))
    await expect.poll(() => page.locator('[data-testid="evaluation-summary-compared"]').count()).toBe(12)
    const compared = await apiCall<EvaluationReport>(page, 'evaluation.evaluate', { runId, compareRunId: secondRun })
    const shown = await page.locator('[data-testid="evaluation-summary-compared"]').allInnerTexts()
    expect(shown).toEqual(Object.values(compared.comparison!.summary).map((value) => (value < 0 ? '—' : value.toFixed(3))))
    // The same model on the same images: the second run scores what the first did.
    expect(compared.comparison!.summary).toEqual(compared.primary.summary)
    await screenshot(page, 'evaluation-compare')
  })
})
