import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { createImageFolder, type GeneratedImageFolder } from '../helpers/image-folder'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { byTestId, createProject, imageCount, scrollGridTo, tile } from './workbench-page'

/** Enough images that rendering a tile per image would be obviously wrong. */
const EXTRA_IMAGES = 3000
/** Rows the grid renders beyond the visible ones, above and below (its virtualizer overscan). */
const OVERSCAN_ROWS = 2
/** Images per `images.grid` page, as the renderer requests them. */
const PAGE_SIZE = 200

describe('grid of a project with thousands of images', () => {
  let workDir: string
  let folder: GeneratedImageFolder
  let app: ServedApp
  let session: BrowserSession
  const listCalls: string[] = []

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-large-'))
    folder = await createImageFolder(join(workDir, 'many-images'), { extraImages: EXTRA_IMAGES })
    app = await serveApp()
    session = await launchBrowser()
    session.page.on('request', (request) => {
      if (request.url().includes('/api/images.grid')) listCalls.push(request.postData() ?? '')
    })
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
  })

  afterAll(async () => {
    await session?.close()
    await app?.stop()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  /** The most tiles a virtualized grid may hold: visible rows plus overscan, full rows. */
  async function tileBudget(): Promise<number> {
    const { page } = session
    const grid = byTestId(page, 'image-grid')
    const columns = Number(await grid.getAttribute('data-columns'))
    const gridHeight = (await grid.boundingBox())!.height
    const tileHeight = (await page.locator('[data-testid="image-tile"]').first().boundingBox())!.height
    const visibleRows = Math.ceil(gridHeight / tileHeight) + 1
    return columns * (visibleRows + 2 * OVERSCAN_ROWS)
  }

  it('creates the project and counts every image', { timeout: 180_000 }, async () => {
    const { page } = session
    await createProject(page, folder.root, 170_000)
    expect(await imageCount(page)).toBe(folder.images.length)
    expect(await byTestId(page, 'image-count').innerText()).toContain(folder.images.length.toLocaleString('en-US'))
  })

  it('renders only the rows in view, with the right names', async () => {
    const { page } = session
    await expect.poll(() => tile(page, 0).getAttribute('title')).toBe(folder.images[0]!.relativePath)
    const rendered = await page.locator('[data-testid="image-tile"]').count()
    expect(rendered).toBeGreaterThan(0)
    expect(rendered).toBeLessThanOrEqual(await tileBudget())
    expect(rendered).toBeLessThan(folder.images.length / 10)
  })

  it('scrolls to the middle and shows the images that belong there', async () => {
    const { page } = session
    await scrollGridTo(page, 0.5)
    const loaded = page.locator('[data-testid="image-tile"][data-image-id]')
    await expect
      .poll(async () => {
        const titles = await loaded.evaluateAll((elements: { title: string; dataset: { index?: string } }[]) =>
          elements.map((element) => [Number(element.dataset.index), element.title] as const),
        )
        const middle = titles.filter(([index]) => index > 1000 && index < 2000)
        return middle.length > 0 && middle.every(([index, title]) => folder.images[index]?.relativePath === title)
      })
      .toBe(true)
    expect(await page.locator('[data-testid="image-tile"]').count()).toBeLessThanOrEqual(await tileBudget())
  })

  it('scrolls to the end: the last image is on screen, still with a bounded number of tiles', async () => {
    const { page } = session
    const lastIndex = folder.images.length - 1
    await scrollGridTo(page, 1)
    const last = tile(page, lastIndex)
    await expect.poll(() => last.getAttribute('title')).toBe(folder.images[lastIndex]!.relativePath)
    const gridBox = (await byTestId(page, 'image-grid').boundingBox())!
    const lastBox = (await last.boundingBox())!
    expect(lastBox.y + lastBox.height).toBeLessThanOrEqual(gridBox.y + gridBox.height)
    expect(lastBox.y).toBeGreaterThanOrEqual(gridBox.y)
    expect(await page.locator('[data-testid="image-tile"]').count()).toBeLessThanOrEqual(await tileBudget())
  })

  it('fetched only the pages it showed, not the whole list', () => {
    const pages = new Set(listCalls.map((body) => (JSON.parse(body) as { offset: number }).offset / PAGE_SIZE))
    expect(pages.size).toBeGreaterThan(0)
    expect(pages.size).toBeLessThan(Math.ceil(folder.images.length / PAGE_SIZE))
  })

  it('jumps between the first and the last image with Home and End', async () => {
    const { page } = session
    const lastIndex = folder.images.length - 1
    await tile(page, lastIndex).focus()
    await page.keyboard.press('Home')
    await expect.poll(() => page.locator('[data-testid="image-tile"]:focus').getAttribute('data-index')).toBe('0')
    await page.keyboard.press('End')
    await expect.poll(() => page.locator('[data-testid="image-tile"]:focus').getAttribute('data-index')).toBe(String(lastIndex))
  })

  it('opens the last image and comes back to it', async () => {
    const { page } = session
    const lastIndex = folder.images.length - 1
    await page.keyboard.press('Enter')
    await byTestId(page, 'image-view').waitFor()
    await expect.poll(() => byTestId(page, 'image-position').innerText()).toBe(
      `${folder.images.length.toLocaleString('en-US')} / ${folder.images.length.toLocaleString('en-US')}`,
    )
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => byTestId(page, 'image-name').innerText()).toContain(folder.images[lastIndex - 1]!.relativePath)
    await page.keyboard.press('g')
    await expect
      .poll(() => page.locator('[data-testid="image-tile"]:focus').getAttribute('data-index'))
      .toBe(String(lastIndex - 1))
    expect(session.problems).toEqual([])
  })
})
