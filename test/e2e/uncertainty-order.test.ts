import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { type SceneDetection, seedSceneProject, type SeededProject } from './correction-project'
import { shownImageId } from './editor-page'
import { byTestId } from './workbench-page'

/**
 * "Most uncertain first" (issue 23): the grid lists the images with the most detections near the
 * label threshold (0.5 here) first, and Space and N walk that order, so a labeler reviews first
 * what teaches an improved model the most.
 */

const square = (score: number): SceneDetection => ({ name: `square ${score}`, className: 'square', score, box: [100, 100, 300, 300] })

/**
 * Doubts at threshold 0.5 (1 on it, 0 from 0.2 away), summed per image: a 0; b 0.52 → 0.9;
 * c 0.35 → 0.25; d nothing found; e 0.6 → 0.5; f 0.45, 0.55, 0.58 → 0.75 + 0.75 + 0.6.
 */
const SCENE: Record<string, SceneDetection[]> = {
  'a-sure.png': [square(0.95)],
  'b-borderline.png': [square(0.52)],
  'c-doubtful.png': [square(0.35)],
  'd-empty.png': [],
  'e-likely.png': [square(0.6)],
  'f-several.png': [square(0.45), square(0.55), square(0.58)],
}
const MOST_UNCERTAIN_FIRST = ['f-several.png', 'b-borderline.png', 'e-likely.png', 'c-doubtful.png', 'a-sure.png', 'd-empty.png']

describe('grid order: most uncertain first', () => {
  let folder: string
  let app: ServedApp | undefined
  let session: BrowserSession | undefined
  let project: SeededProject

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'rw-e2e-uncertainty-'))
    app = await serveApp()
    session = await launchBrowser()
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
    project = await seedSceneProject(session.page, folder, SCENE)
  }, 60_000)

  afterAll(async () => {
    await session?.page.goto('about:blank')
    await session?.close()
    await app?.stop()
    await rm(folder, { recursive: true, force: true })
  })

  const tileNames = () => session!.page.locator('[data-testid="image-tile"] [data-testid="tile-name"]').allTextContents()

  it('lists the images most uncertain first, each with its uncertainty, and back by path', async () => {
    const { page } = session!
    await expect.poll(tileNames).toEqual(Object.keys(SCENE).sort())
    expect(await byTestId(page, 'tile-uncertainty').count()).toBe(0)
    await byTestId(page, 'grid-order').selectOption('uncertainty')
    await expect.poll(tileNames).toEqual(MOST_UNCERTAIN_FIRST)
    expect((await byTestId(page, 'tile-uncertainty').allTextContents()).map((text) => text.trim())).toEqual(['? 2.10', '? 0.90', '? 0.50', '? 0.25', '? 0.00', '? 0.00'])
    expect(await byTestId(page, 'filter-clear').count()).toBe(0)
    if (process.env.RW_SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.RW_SCREENSHOT_DIR, 'uncertainty-order.png') })
  })

  it('walks that order with Space (review and next) and N (next unreviewed)', async () => {
    const { page } = session!
    const id = (name: string) => project.imageIds[name]!
    await page.locator('[data-testid="image-tile"][title="f-several.png"]').click()
    await expect.poll(() => shownImageId(page)).toBe(id('f-several.png'))
    await page.keyboard.press('Space')
    await expect.poll(() => shownImageId(page)).toBe(id('b-borderline.png'))
    await page.keyboard.press('Space')
    await expect.poll(() => shownImageId(page)).toBe(id('e-likely.png'))
    // Back to the first: N skips the two just reviewed.
    await byTestId(page, 'back-to-grid').click()
    await page.locator('[data-testid="image-tile"][title="f-several.png"]').click()
    await expect.poll(() => shownImageId(page)).toBe(id('f-several.png'))
    await page.keyboard.press('n')
    await expect.poll(() => shownImageId(page)).toBe(id('e-likely.png'))
  })

  it('keeps the order when the filter is cleared, and lists by path again on request', async () => {
    const { page } = session!
    await byTestId(page, 'back-to-grid').click()
    await byTestId(page, 'filter-status').selectOption('reviewed')
    await expect.poll(tileNames).toEqual(['f-several.png', 'b-borderline.png'])
    await byTestId(page, 'filter-clear').click()
    await expect.poll(tileNames).toEqual(MOST_UNCERTAIN_FIRST)
    await byTestId(page, 'grid-order').selectOption('path')
    await expect.poll(tileNames).toEqual(Object.keys(SCENE).sort())
  })
})
