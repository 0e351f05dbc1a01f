import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserSession } from '../helpers/browser'
import {
  runEndedAs,
  runProgress,
  setScoreThreshold,
  startDetectionWorkbench,
  tileStatuses,
  visibleBoxes,
  type DetectionFolder,
  type DetectionWorkbench,
} from './detection-page'
import { byTestId, createProject, imageCount, scrollGridTo } from './workbench-page'

/** A CPU run over a handful of small images; generous because the machine may be busy. */
const RUN_TIMEOUT_MS = 120_000

describe('detection run from the browser: progress, errors, badges, filters, boxes', () => {
  let workbench: DetectionWorkbench | undefined
  let folder: DetectionFolder
  let session: BrowserSession

  beforeAll(async () => {
    workbench = await startDetectionWorkbench('rw-e2e-detect-', 'shapes')
    ;({ folder, session } = workbench)
  })

  afterAll(async () => {
    await workbench?.stop()
  })

  it('lists every image as new before any run', async () => {
    const { page } = session
    await createProject(page, folder.root)
    expect(await imageCount(page)).toBe(folder.readable.length + 1)
    await byTestId(page, 'runs-empty').waitFor()
    await expect.poll(async () => Object.keys(await tileStatuses(page)).length).toBe(folder.readable.length + 1)
    const statuses = await tileStatuses(page)
    expect(new Set(Object.values(statuses).map((tile) => tile.status))).toEqual(new Set(['new']))
  })

  it('runs detection to the end with the progress bar at 100% and the unreadable image listed', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const { page } = session
    await byTestId(page, 'run-scope').selectOption('unprocessed')
    await byTestId(page, 'run-start').click()
    const figures = await runEndedAs(page, 'done', RUN_TIMEOUT_MS)
    expect(figures.total).toBe(folder.readable.length + 1)
    expect(figures.processed).toBe(figures.total)
    expect(figures.errors).toBe(1)
    expect(await byTestId(page, 'run-progress-text').innerText()).toContain('(100%)')
    expect(await byTestId(page, 'run-progress-bar').evaluate((bar: { value: number; max: number }) => bar.value / bar.max)).toBe(1)
    // The provider is named (the CPU on a machine without a GPU) with its device and, for each
    // faster provider not used, why.
    const provider = await byTestId(page, 'run-provider').getAttribute('data-provider')
    expect(provider).toMatch(/^(cpu|cuda|webgpu)$/)
    expect(await byTestId(page, 'run-provider').getAttribute('data-device')).not.toBe('')
    if (provider === 'cpu') {
      await byTestId(page, 'run-provider-reason').locator('summary').click()
      const skipped = byTestId(page, 'run-provider-skipped')
      expect(await skipped.count()).toBeGreaterThan(0)
      expect((await skipped.first().innerText()).length).toBeGreaterThan(20)
    }

    const failed = byTestId(page, 'run-failed-image')
    await expect.poll(() => failed.count()).toBe(1)
    expect(await failed.getAttribute('data-path')).toBe(folder.corrupt)
    expect((await failed.innerText()).length).toBeGreaterThan(folder.corrupt.length + 5)
    expect(await page.locator('[data-testid="run-history-entry"][data-state="done"]').count()).toBe(1)
  })

  it('changes the grid badges to detected (error for the unreadable image) and shows label counts', async () => {
    const { page } = session
    await expect
      .poll(async () => {
        const statuses = await tileStatuses(page)
        return folder.readable.every((path) => statuses[path]?.status === 'detected') && statuses[folder.corrupt]?.status === 'error'
      })
      .toBe(true)
    const counts = await page.locator('[data-testid="tile-label-count"]').allInnerTexts()
    expect(counts).toHaveLength(folder.readable.length)
    const statuses = await tileStatuses(page)
    for (const path of folder.readable) expect(Number(statuses[path]?.labels)).toBeGreaterThanOrEqual(0)
    expect(counts.map((text) => Number(text.replace(/\D/g, '')))).toEqual(
      folder.readable.map((path) => Number(statuses[path]?.labels)),
    )
  })

  it('filters the grid by status: error shows exactly the unreadable image, detected the others', async () => {
    const { page } = session
    await byTestId(page, 'filter-status').selectOption('error')
    await expect.poll(() => imageCount(page)).toBe(1)
    await expect.poll(async () => Object.keys(await tileStatuses(page))).toEqual([folder.corrupt])

    await byTestId(page, 'filter-status').selectOption('detected')
    await expect.poll(async () => Object.keys(await tileStatuses(page)).sort()).toEqual(folder.readable)

    await byTestId(page, 'filter-status').selectOption('new')
    await byTestId(page, 'grid-no-match').waitFor()

    await byTestId(page, 'filter-clear').click()
    await expect.poll(() => imageCount(page)).toBe(folder.readable.length + 1)
  })

  it('filters the grid by a class found in the images', async () => {
    const { page } = session
    const options = await byTestId(page, 'filter-class').locator('option').evaluateAll(
      (elements: { value: string; textContent: string | null }[]) => elements.map((element) => element.value),
    )
    const classIds = options.filter((value) => value !== '')
    expect(classIds.length).toBeGreaterThan(0)
    await byTestId(page, 'filter-class').selectOption(classIds[0]!)
    await expect.poll(() => byTestId(page, 'image-count').getAttribute('data-filtered')).toBe('true')
    const matching = await imageCount(page)
    expect(matching).toBeGreaterThan(0)
    expect(matching).toBeLessThanOrEqual(folder.readable.length)
    const statuses = await tileStatuses(page)
    expect(Object.keys(statuses)).not.toContain(folder.corrupt)
    await byTestId(page, 'filter-clear').click()
    await expect.poll(() => imageCount(page)).toBe(folder.readable.length + 1)
  })

  it('opens a failed image from the error list, with the reason the run gave', async () => {
    const { page } = session
    const listedMessage = await byTestId(page, 'run-failed-image').locator('.failed-message').innerText()
    await byTestId(page, 'run-failed-image').click()
    await byTestId(page, 'image-view').waitFor()
    expect(await byTestId(page, 'image-name').innerText()).toContain(folder.corrupt)
    expect(await byTestId(page, 'image-position').innerText()).toBe('1 / 1')
    expect(await byTestId(page, 'image-run-error').innerText()).toContain(listedMessage)
    await byTestId(page, 'back-to-grid').click()
    await byTestId(page, 'filter-clear').click()
    await expect.poll(() => imageCount(page)).toBe(folder.readable.length + 1)
  })

  it('draws the detections of an image as boxes, and the threshold slider hides and shows them', async () => {
    const { page } = session
    await page.locator(`[data-testid="image-tile"][title="${folder.readable[0]}"]`).click()
    await byTestId(page, 'image-view').waitFor()
    await setScoreThreshold(page, 0)
    const stage = byTestId(page, 'image-stage')
    await expect.poll(() => visibleBoxes(page)).toBeGreaterThan(0)
    const all = Number(await stage.getAttribute('data-detections'))
    expect(await visibleBoxes(page)).toBe(all)
    expect(Number(await byTestId(page, 'visible-box-count').getAttribute('data-count'))).toBe(all)

    await setScoreThreshold(page, 1)
    const atTop = await visibleBoxes(page)
    expect(atTop).toBeLessThan(all)
    await setScoreThreshold(page, 0.5)
    const atHalf = await visibleBoxes(page)
    expect(atHalf).toBeGreaterThanOrEqual(atTop)
    expect(atHalf).toBeLessThanOrEqual(all)
    await setScoreThreshold(page, 0)
    expect(await visibleBoxes(page)).toBe(all)
  })

  it('hides one class with its checkbox and shows it again', async () => {
    const { page } = session
    const row = page.locator('[data-testid="class-row"]:not([data-visible="0"])').first()
    const classId = await row.getAttribute('data-class-id')
    const ofClass = Number(await row.getAttribute('data-visible'))
    expect(ofClass).toBeGreaterThan(0)
    const before = await visibleBoxes(page)
    const sameRow = page.locator(`[data-testid="class-row"][data-class-id="${classId}"]`)
    await sameRow.locator('[data-testid="class-visible"]').uncheck()
    await expect.poll(() => visibleBoxes(page)).toBe(before - ofClass)
    expect(await sameRow.getAttribute('data-visible')).toBe('0')
    await sameRow.locator('[data-testid="class-visible"]').check()
    await expect.poll(() => visibleBoxes(page)).toBe(before)
  })

  it('raises one class threshold without touching the others', async () => {
    const { page } = session
    const row = page.locator('[data-testid="class-row"]:not([data-visible="0"])').first()
    const classId = await row.getAttribute('data-class-id')
    const ofClass = Number(await row.getAttribute('data-total'))
    const before = await visibleBoxes(page)
    const sameRow = page.locator(`[data-testid="class-row"][data-class-id="${classId}"]`)
    await sameRow.locator('[data-testid="class-threshold"]').fill('1')
    await expect.poll(async () => Number(await sameRow.getAttribute('data-visible'))).toBeLessThan(ofClass)
    const hiddenOfClass = ofClass - Number(await sameRow.getAttribute('data-visible'))
    expect(await visibleBoxes(page)).toBe(before - hiddenOfClass)
    await byTestId(page, 'reset-thresholds').click()
  })

  it('remembers the thresholds and hidden classes of the project across a page reload', async () => {
    const { page } = session
    await setScoreThreshold(page, 0.25)
    const row = page.locator('[data-testid="class-row"]').first()
    const classId = await row.getAttribute('data-class-id')
    const sameRow = () => page.locator(`[data-testid="class-row"][data-class-id="${classId}"]`)
    await sameRow().locator('[data-testid="class-threshold"]').fill('0.6')
    await sameRow().locator('[data-testid="class-visible"]').uncheck()

    await page.reload()
    await byTestId(page, 'project-view').waitFor()
    await page.locator(`[data-testid="image-tile"][title="${folder.readable[0]}"]`).click()
    await byTestId(page, 'image-view').waitFor()
    await expect.poll(() => byTestId(page, 'suggestion-threshold-value').innerText()).toBe('0.25')
    expect(await sameRow().locator('[data-testid="class-threshold"]').inputValue()).toBe('0.6')
    expect(await sameRow().locator('[data-testid="class-visible"]').isChecked()).toBe(false)

    await byTestId(page, 'reset-thresholds').click()
    expect(await sameRow().locator('[data-testid="class-visible"]').isChecked()).toBe(true)
  })

  it('met no script errors on the way', () => {
    expect(session.problems.filter((problem) => problem.startsWith('page error'))).toEqual([])
  })
})

describe('detection run cancelled midway and resumed to the end', () => {
  /** 4 golden images × 40 copies: long enough on the CPU that a cancel lands midway. */
  const COPIES = 40
  let workbench: DetectionWorkbench | undefined
  let folder: DetectionFolder
  let session: BrowserSession

  beforeAll(async () => {
    workbench = await startDetectionWorkbench('rw-e2e-resume-', 'many-shapes', COPIES)
    ;({ folder, session } = workbench)
  })

  afterAll(async () => {
    await workbench?.stop()
  })

  it('cancels a running run: it stops short of the end and offers to resume', { timeout: RUN_TIMEOUT_MS }, async () => {
    const { page } = session
    await createProject(page, folder.root, 60_000)
    const total = folder.readable.length + 1
    expect(await imageCount(page)).toBe(total)
    // The CPU asked for by name: used as asked, with no provider passed by.
    await byTestId(page, 'run-provider-choice').selectOption('cpu')
    await byTestId(page, 'run-start').click()
    await expect.poll(async () => (await runProgress(page))?.processed ?? 0, { timeout: RUN_TIMEOUT_MS, interval: 100 }).toBeGreaterThan(0)
    await expect.poll(() => byTestId(page, 'run-provider').getAttribute('data-provider')).toBe('cpu')
    expect(await byTestId(page, 'run-provider-reason').count()).toBe(0)
    // A page opened mid-run (here: reloaded) picks the running run up where it is.
    await page.reload()
    await byTestId(page, 'project-view').waitFor()
    await expect.poll(async () => (await runProgress(page))?.state, { interval: 100 }).toBe('running')
    expect((await runProgress(page))?.processed).toBeGreaterThan(0)
    // The choice is remembered.
    expect(await byTestId(page, 'run-provider-choice').inputValue()).toBe('cpu')
    // Cancel while images are left.
    await byTestId(page, 'run-cancel').click()
    const stopped = await runEndedAs(page, 'cancelled', RUN_TIMEOUT_MS)
    expect(stopped.processed).toBeLessThan(total)
    await byTestId(page, 'run-resume').waitFor()

    // The grid agrees: some images are still new.
    await byTestId(page, 'filter-status').selectOption('new')
    await expect.poll(() => imageCount(page)).toBeGreaterThan(0)
    await byTestId(page, 'filter-clear').click()
  })

  it('resumes the cancelled run and finishes every image, the grid updating in place', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const { page } = session
    const grid = byTestId(page, 'image-grid')
    await scrollGridTo(page, 0.6)
    const scrolledTo = await grid.evaluate((element: { scrollTop: number }) => element.scrollTop)
    expect(scrolledTo).toBeGreaterThan(0)
    await byTestId(page, 'run-resume').click()
    const finished = await runEndedAs(page, 'done', RUN_TIMEOUT_MS * 2)
    expect(finished.processed).toBe(finished.total)
    expect(await byTestId(page, 'run-resume').count()).toBe(0)

    // The tiles in view turned to detected while the grid stayed where it was scrolled to.
    await expect
      .poll(async () => {
        const statuses = Object.values(await tileStatuses(page)).map((tile) => tile.status)
        return statuses.length > 0 && statuses.every((status) => status === 'detected')
      })
      .toBe(true)
    expect(await grid.evaluate((element: { scrollTop: number }) => element.scrollTop)).toBe(scrolledTo)

    await byTestId(page, 'filter-status').selectOption('new')
    await byTestId(page, 'grid-no-match').waitFor()
    await byTestId(page, 'filter-status').selectOption('detected')
    await expect.poll(() => imageCount(page)).toBe(folder.readable.length)
    await byTestId(page, 'filter-status').selectOption('error')
    await expect.poll(() => imageCount(page)).toBe(1)
  })
})
