import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserSession } from '../helpers/browser'
import { runEndedAs, setScoreThreshold, startDetectionWorkbench, type DetectionFolder, type DetectionWorkbench } from './detection-page'
import { apiCall } from './editor-page'
import { byTestId, createProject, imageCount } from './workbench-page'

/**
 * The class list, the label threshold and the review counter, driven in Chromium against
 * `serve` with the tiny model: what a labeler sees count, and what the API then holds.
 */

const RUN_TIMEOUT_MS = 120_000
/** Where to keep screenshots of the panels for a person to look at; none are taken without it. */
const SCREENSHOT_DIR = process.env.RW_SCREENSHOT_DIR

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

async function numberAttribute(page: Page, testId: string, name: string): Promise<number> {
  return Number(await byTestId(page, testId).getAttribute(name))
}

/** The label badges of the grid's tiles, added up (the grid shows every image of this small project). */
async function tileLabelTotal(page: Page): Promise<number> {
  const badges = await page.locator('[data-testid="tile-label-count"]').allInnerTexts()
  return badges.reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0)
}

function classRow(page: Page, name: string) {
  return page.locator(`[data-testid="class-row"][data-class-name="${name}"]`)
}

describe('class list, label threshold and review counter', () => {
  let workbench: DetectionWorkbench | undefined
  let folder: DetectionFolder
  let session: BrowserSession

  beforeAll(async () => {
    workbench = await startDetectionWorkbench('rw-e2e-panels-', 'shapes')
    ;({ folder, session } = workbench)
  })

  afterAll(async () => {
    await workbench?.stop()
  })

  it('counts labels and detections apart after a run, and no image reviewed yet', { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
    const { page } = session
    await createProject(page, folder.root)
    await byTestId(page, 'run-start').click()
    await runEndedAs(page, 'done', RUN_TIMEOUT_MS)
    const images = folder.readable.length + 1
    await expect.poll(() => byTestId(page, 'review-counter').innerText()).toBe(`0 of ${images} reviewed`)
    await expect.poll(() => numberAttribute(page, 'project-detection-count', 'data-count')).toBeGreaterThan(0)
    expect(await byTestId(page, 'project-label-count').innerText()).toMatch(/^[\d,]+ labels?$/)
    expect(await byTestId(page, 'project-detection-count').innerText()).toMatch(/^[\d,]+ detections?$/)
    expect(await byTestId(page, 'label-threshold-model-default').innerText()).toContain('Model default')
  })

  it('applies a new label threshold, reports what changed, and the counters and badges follow', async () => {
    const { page } = session
    const detections = await numberAttribute(page, 'project-detection-count', 'data-count')
    const labelsBefore = await numberAttribute(page, 'project-label-count', 'data-count')
    // Below the default operating point more detections pass (all but those too small to be a label).
    await byTestId(page, 'label-threshold-input').fill('0.01')
    await byTestId(page, 'label-threshold-apply').click()
    const outcome = byTestId(page, 'label-threshold-outcome')
    await outcome.waitFor()
    // No image has been touched yet, so the outcome covers every label of the project.
    expect(Number(await outcome.getAttribute('data-labels-before'))).toBe(labelsBefore)
    const labelsAfter = Number(await outcome.getAttribute('data-labels-after'))
    expect(labelsAfter).toBeGreaterThan(labelsBefore)
    expect(labelsAfter).toBeLessThanOrEqual(detections)
    expect(Number(await outcome.getAttribute('data-images-changed'))).toBeGreaterThan(0)
    expect(await outcome.innerText()).toContain(
      `${labelsBefore.toLocaleString('en')} → ${labelsAfter.toLocaleString('en')} labels; images a person touched were not changed`,
    )
    await expect.poll(() => numberAttribute(page, 'project-label-count', 'data-count')).toBe(labelsAfter)
    await expect.poll(() => tileLabelTotal(page)).toBe(labelsAfter)
    expect(Number(await byTestId(page, 'label-threshold-input').getAttribute('data-current'))).toBe(0.01)
    await screenshot(page, 'project-view-label-threshold')

    // Back to the model's operating point: the labels are what they were.
    await byTestId(page, 'label-threshold-model-reset').click()
    await expect.poll(() => outcome.getAttribute('data-labels-after')).toBe(String(labelsBefore))
    await expect.poll(() => numberAttribute(page, 'project-label-count', 'data-count')).toBe(labelsBefore)
    await expect.poll(() => tileLabelTotal(page)).toBe(labelsBefore)
  })

  it('adds a class the model does not know, renames and recolours it', async () => {
    const { page } = session
    await page.locator(`[data-testid="image-tile"][title="${folder.readable[0]}"]`).click()
    await byTestId(page, 'image-view').waitFor()
    const rowsBefore = await page.locator('[data-testid="class-row"]').count()
    await byTestId(page, 'class-add-name').fill('traffic cone')
    await byTestId(page, 'class-add-color').fill('#ff8800')
    await byTestId(page, 'class-add').click()
    await expect.poll(() => page.locator('[data-testid="class-row"]').count()).toBe(rowsBefore + 1)
    // The project's order: a new class comes last.
    expect(await page.locator('[data-testid="class-row"]').last().getAttribute('data-class-name')).toBe('traffic cone')
    expect(await classRow(page, 'traffic cone').getAttribute('data-color')).toBe('#ff8800')
    expect(await classRow(page, 'traffic cone').getAttribute('data-labels')).toBe('0')

    await classRow(page, 'traffic cone').locator('[data-testid="class-rename"]').click()
    await byTestId(page, 'class-rename-input').fill('cone')
    await byTestId(page, 'class-rename-input').press('Enter')
    await classRow(page, 'cone').waitFor()
    expect(await classRow(page, 'traffic cone').count()).toBe(0)

    await classRow(page, 'cone').locator('[data-testid="class-color"]').fill('#00c8ff')
    await expect.poll(() => classRow(page, 'cone').getAttribute('data-color')).toBe('#00c8ff')
    const classes = await apiCall<{ name: string; color: string }[]>(page, 'classes.list', {})
    expect(classes.find((projectClass) => projectClass.name === 'cone')?.color).toBe('#00c8ff')
  })

  it('refuses a name another class has, saying why', async () => {
    const { page } = session
    await byTestId(page, 'class-add-name').fill('CONE')
    expect(await byTestId(page, 'class-add-problem').innerText()).toBe('There is already a class named "cone".')
    expect(await byTestId(page, 'class-add').isDisabled()).toBe(true)
    await byTestId(page, 'class-add-name').press('Escape')
    expect(await byTestId(page, 'image-view').count()).toBe(1) // Escape in the field does not leave the viewer
  })

  it('counts the image\'s labels and suggestions apart; the suggestion threshold filters only suggestions', async () => {
    const { page } = session
    const labelsHere = await numberAttribute(page, 'image-label-count', 'data-count')
    const perClass = await page
      .locator('[data-testid="class-row"]')
      .evaluateAll((rows: { getAttribute(name: string): string | null }[]) => rows.map((row) => Number(row.getAttribute('data-labels-here'))))
    expect(perClass.reduce((sum, count) => sum + count, 0)).toBe(labelsHere)

    await setScoreThreshold(page, 0)
    const total = await numberAttribute(page, 'suggestion-count', 'data-total')
    await expect.poll(() => numberAttribute(page, 'suggestion-count', 'data-count')).toBe(total)
    await setScoreThreshold(page, 1)
    await expect.poll(() => numberAttribute(page, 'suggestion-count', 'data-count')).toBe(0)
    expect(await numberAttribute(page, 'image-label-count', 'data-count')).toBe(labelsHere)
    await setScoreThreshold(page, 0.3)
  })

  it('merges a class into another after saying how many labels move', async () => {
    const { page } = session
    // The class with the most labels on this image, so the editor's object list surely shows some.
    const rows = await page
      .locator('[data-testid="class-row"]')
      .evaluateAll((elements: { getAttribute(name: string): string | null }[]) =>
        elements.map((element) => ({ name: element.getAttribute('data-class-name') ?? '', here: Number(element.getAttribute('data-labels-here')) })),
      )
    const busiest = rows.reduce((best, row) => (row.here > best.here ? row : best))
    const source = classRow(page, busiest.name)
    const sourceName = (await source.getAttribute('data-class-name')) ?? ''
    const moving = Number(await source.getAttribute('data-labels'))
    expect(moving).toBeGreaterThan(0)
    const labelsHere = Number(await source.getAttribute('data-labels-here'))
    const sourceId = await source.getAttribute('data-class-id')
    await screenshot(page, 'image-view-class-panel')

    await source.locator('[data-testid="class-merge"]').click()
    await byTestId(page, 'class-merge-target').selectOption({ label: 'cone' })
    const question = await byTestId(page, 'class-merge-question').innerText()
    expect(question).toContain(`Move ${moving.toLocaleString('en')} ${moving === 1 ? 'label' : 'labels'} from ${sourceName} to cone`)
    await screenshot(page, 'image-view-class-merge')
    await byTestId(page, 'class-merge-confirm').click()

    await expect.poll(() => byTestId(page, 'class-merge-outcome').getAttribute('data-labels-moved')).toBe(String(moving))
    // The outcome comes with the call's answer; the class list follows on the classes event.
    await expect.poll(() => classRow(page, sourceName).count()).toBe(0)
    await expect.poll(() => classRow(page, 'cone').getAttribute('data-labels')).toBe(String(moving))
    await expect.poll(() => classRow(page, 'cone').getAttribute('data-labels-here')).toBe(String(labelsHere))
    // The editor's object list no longer shows a label of the class that is gone.
    expect(labelsHere).toBeGreaterThan(0)
    await expect.poll(() => page.locator(`[data-testid="object-row"][data-class-id="${sourceId}"]`).count()).toBe(0)
  })

  it('hands the keys back to the viewer after a checkbox or slider of the panel is used', async () => {
    const { page } = session
    const position = await byTestId(page, 'image-position').innerText()
    await page.locator('[data-testid="class-row"] [data-testid="class-visible"]').first().click()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => byTestId(page, 'image-position').innerText()).not.toBe(position)
    await page.locator('[data-testid="class-row"] [data-testid="class-visible"]').first().click()
    const next = await byTestId(page, 'image-position').innerText()
    await byTestId(page, 'suggestion-threshold').click()
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => byTestId(page, 'image-position').innerText()).not.toBe(next)
  })

  it('counts an image marked reviewed through the API, and the Reviewed filter shows exactly it', async () => {
    const { page } = session
    await byTestId(page, 'back-to-grid').click()
    await byTestId(page, 'project-view').waitFor()
    const images = folder.readable.length + 1
    const reviewedPath = folder.readable[1]!
    const imageId = Number(await page.locator(`[data-testid="image-tile"][title="${reviewedPath}"]`).getAttribute('data-image-id'))
    await apiCall(page, 'images.setReviewed', { imageId, reviewed: true })
    await expect.poll(() => byTestId(page, 'review-counter').innerText()).toBe(`1 of ${images} reviewed`)
    await expect.poll(() => page.locator(`[data-testid="image-tile"][title="${reviewedPath}"]`).getAttribute('data-status')).toBe('reviewed')

    await byTestId(page, 'filter-status').selectOption('reviewed')
    await expect.poll(() => imageCount(page)).toBe(1)
    const shown = await page.locator('[data-testid="image-tile"][data-image-id]').evaluateAll(
      (tiles: { getAttribute(name: string): string | null }[]) => tiles.map((tile) => tile.getAttribute('title')),
    )
    expect(shown).toEqual([reviewedPath])
    await screenshot(page, 'project-view-reviewed-filter')

    await apiCall(page, 'images.setReviewed', { imageId, reviewed: false })
    await expect.poll(() => byTestId(page, 'review-counter').innerText()).toBe(`0 of ${images} reviewed`)
    await byTestId(page, 'filter-clear').click()
    await expect.poll(() => imageCount(page)).toBe(images)
  })

  it('met no script errors on the way', () => {
    expect(session.problems.filter((problem) => problem.startsWith('page error'))).toEqual([])
  })
})
