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
 * "Most uncertain first" (issue 23): the grid lists the images whose detections sit nearest the
 * label threshold (0.5 here) first, and Space and N walk that order, so a labeler reviews first
 * what teaches an improved model the most.
 */

const square = (score: number): SceneDetection => ({ name: `square ${score}`, className: 'square', score, box: [100, 100, 300, 300] })

/** Doubts at threshold 0.5: a 0.1 (0.95 → 0.1), b 0.96 (0.52), c 0.6 (0.3), d nothing found, e 0.8 (0.6). */
const SCENE: Record<string, SceneDetection[]> = {
  'a-sure.png': [square(0.95)],
  'b-borderline.png': [square(0.52)],
  'c-doubtful.png': [square(0.3)],
  'd-empty.png': [],
  'e-likely.png': [square(0.6)],
}
const MOST_UNCERTAIN_FIRST = ['b-borderline.png', 'e-likely.png', 'c-doubtful.png', 'a-sure.png', 'd-empty.png']

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
    expect((await byTestId(page, 'tile-uncertainty').allTextContents()).map((text) => text.trim())).toEqual(['? 0.96', '? 0.80', '? 0.60', '? 0.10', '? 0.00'])
    expect(await byTestId(page, 'filter-clear').count()).toBe(0)
    if (process.env.RW_SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.RW_SCREENSHOT_DIR, 'uncertainty-order.png') })
  })

  it('walks that order with Space (review and next) and N (next unreviewed)', async () => {
    const { page } = session!
    const id = (name: string) => project.imageIds[name]!
    await page.locator('[data-testid="image-tile"][title="b-borderline.png"]').click()
    await expect.poll(() => shownImageId(page)).toBe(id('b-borderline.png'))
    await page.keyboard.press('Space')
    await expect.poll(() => shownImageId(page)).toBe(id('e-likely.png'))
    await page.keyboard.press('Space')
    await expect.poll(() => shownImageId(page)).toBe(id('c-doubtful.png'))
    // Back to the first: N skips the two just reviewed.
    await byTestId(page, 'back-to-grid').click()
    await page.locator('[data-testid="image-tile"][title="b-borderline.png"]').click()
    await expect.poll(() => shownImageId(page)).toBe(id('b-borderline.png'))
    await page.keyboard.press('n')
    await expect.poll(() => shownImageId(page)).toBe(id('c-doubtful.png'))
  })

  it('keeps the order when the filter is cleared, and lists by path again on request', async () => {
    const { page } = session!
    await byTestId(page, 'back-to-grid').click()
    await byTestId(page, 'filter-status').selectOption('reviewed')
    await expect.poll(tileNames).toEqual(['b-borderline.png', 'e-likely.png'])
    await byTestId(page, 'filter-clear').click()
    await expect.poll(tileNames).toEqual(MOST_UNCERTAIN_FIRST)
    await byTestId(page, 'grid-order').selectOption('path')
    await expect.poll(tileNames).toEqual(Object.keys(SCENE).sort())
  })
})
