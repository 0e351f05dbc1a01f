import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { byTestId } from './workbench-page'

/**
 * The one progress view of long work: a new project's scan shows in the jobs tray with its
 * count, rate and time left, and its Cancel stops it, creating no project.
 */

const IMAGE_COUNT = 6000
/** Where to keep a screenshot of the tray for a person to look at; none is taken without it. */
const SCREENSHOT_DIR = process.env.RW_SCREENSHOT_DIR

describe('jobs tray', () => {
  let workDir: string
  let imageFolder: string
  let app: ServedApp | undefined
  let session: BrowserSession | undefined

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-jobs-'))
    imageFolder = join(workDir, 'many-images')
    await mkdir(imageFolder)
    const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 90, g: 120, b: 200 } } }).png().toBuffer()
    for (let index = 0; index < IMAGE_COUNT; index++) await writeFile(join(imageFolder, `image-${String(index).padStart(5, '0')}.png`), png)
    app = await serveApp()
    session = await launchBrowser()
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
  }, 120_000)

  afterAll(async () => {
    await session?.page.goto('about:blank')
    await session?.close()
    await app?.stop()
    await rm(workDir, { recursive: true, force: true })
  })

  it("shows a new project's scan with its progress, and its Cancel creates no project", async () => {
    const { page } = session!
    await byTestId(page, 'new-project-folder').fill(imageFolder)
    await byTestId(page, 'new-project-create').click()
    const job = page.locator('[data-testid="job"][data-kind="scan"]')
    await job.waitFor()
    expect(await job.innerText()).toContain(`Reading the images of ${imageFolder}`)
    await expect.poll(() => job.getByTestId('job-figures').innerText()).toMatch(/^[\d,]+ of 6,000 files/)
    if (SCREENSHOT_DIR) {
      await mkdir(SCREENSHOT_DIR, { recursive: true })
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'jobs-tray.png') })
    }
    await job.getByTestId('job-cancel').click()
    const message = byTestId(page, 'error-message')
    await message.waitFor()
    expect(await message.innerText()).toContain(`Reading the images of ${imageFolder} was cancelled.`)
    await expect.poll(() => byTestId(page, 'jobs-tray').count()).toBe(0)
    expect(await byTestId(page, 'start-view').count()).toBe(1)
    expect(existsSync(join(imageFolder, 'many-images.rwproj'))).toBe(false)
  })

  it('met no script errors on the way', () => {
    expect(session!.problems).toEqual([])
  })
})
