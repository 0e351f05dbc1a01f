import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { createImageFolder, type GeneratedImageFolder } from '../helpers/image-folder'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import {
  byTestId,
  canvasPixel,
  createProject,
  imageCount,
  imageToStage,
  loadedImageSize,
  stage,
  stageBox,
  stageTransform,
  transformAfterChange,
} from './workbench-page'

/** The margin the viewer keeps around a fitted image (see FIT_MARGIN in the viewer store). */
const FIT_MARGIN = 12

describe('workbench in a browser: start view, grid, image view', () => {
  let workDir: string
  let folder: GeneratedImageFolder
  let app: ServedApp
  let session: BrowserSession
  let userDataDir: string

  async function restartServer(): Promise<void> {
    // Leave the page first, so its event stream does not log reconnection failures.
    await session.page.goto('about:blank')
    await app.stop()
    app = await serveApp({ userDataDir })
    await session.page.goto(app.url)
  }

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-workflow-'))
    folder = await createImageFolder(join(workDir, 'street-scenes'), { includeCorrupt: true })
    userDataDir = join(workDir, 'user-data')
    await mkdir(userDataDir)
    app = await serveApp({ userDataDir })
    session = await launchBrowser()
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
  })

  afterAll(async () => {
    await session?.close()
    await app?.stop()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  it('keeps the app under its own address: a reload stays signed in, and the browser holds no cookie', async () => {
    expect(session.page.url()).toBe(app.url)
    await session.page.reload()
    await byTestId(session.page, 'start-view').waitFor()
    expect(await session.context.cookies()).toEqual([])
  })

  it('explains, in words, that a folder which does not exist cannot become a project', async () => {
    const { page } = session
    const missing = join(workDir, 'no-such-folder')
    await byTestId(page, 'new-project-folder').fill(missing)
    await byTestId(page, 'new-project-create').click()
    const message = byTestId(page, 'error-message')
    await message.waitFor()
    const text = await message.innerText()
    expect(text).toContain(missing)
    expect(text).not.toMatch(/\[object|undefined|ZodError/)
    await expect.poll(() => byTestId(page, 'start-view').isVisible()).toBe(true)
    // Dismissing keeps the typed path, so the person can correct it.
    await byTestId(page, 'notices').locator('button').click()
    expect(await byTestId(page, 'error-message').count()).toBe(0)
    expect(await byTestId(page, 'new-project-folder').inputValue()).toBe(missing)
  })

  it('creates a project from a typed folder path and shows every image in the grid', async () => {
    const { page } = session
    await createProject(page, folder.root)
    expect(await byTestId(page, 'project-name').innerText()).toBe('street-scenes')
    expect(await imageCount(page)).toBe(folder.images.length)
    // The corrupt file is named, with the reason, instead of silently missing.
    const skipped = page.locator('[data-testid="scan-skipped-file"]')
    expect(await skipped.count()).toBe(folder.corruptFiles.length)
    expect(await skipped.first().innerText()).toContain('broken.jpg')

    const tiles = page.locator('[data-testid="image-tile"][data-image-id]')
    await expect.poll(() => tiles.count()).toBe(folder.images.length)
    const titles = await tiles.evaluateAll((elements: { title: string }[]) => elements.map((element) => element.title))
    expect(titles.sort()).toEqual(folder.images.map((image) => image.relativePath).sort())

    // Sizes are the displayed ones, after EXIF orientation.
    const rotated = folder.images.find((image) => image.orientation === 6)!
    const rotatedTile = page.locator(`[data-testid="image-tile"][title="${rotated.relativePath}"]`)
    expect(await rotatedTile.locator('[data-testid="tile-size"]').innerText()).toBe(`${rotated.width} × ${rotated.height}`)
    // A file in a sub-folder shows the folder, so two files of one name can be told apart.
    expect(await page.locator('[data-testid="image-tile"][title="nested/deeper/eta.jpg"] [data-testid="tile-folder"]').innerText()).toBe('nested/deeper/')

    // Every thumbnail loads (a broken one would leave no decoded pixels).
    await expect
      .poll(() =>
        page
          .locator('[data-testid="image-tile"] img')
          .evaluateAll((images: { complete: boolean; naturalWidth: number }[]) =>
            images.every((image) => image.complete && image.naturalWidth > 0),
          ),
      )
      .toBe(true)
  })

  it('opens an image on the canvas, fitted to the window, with its own pixels drawn', async () => {
    const { page } = session
    const alpha = folder.images.find((image) => image.relativePath === 'alpha.jpg')!
    await page.locator('[data-testid="image-tile"][title="alpha.jpg"]').click()
    await byTestId(page, 'image-view').waitFor()
    expect(await loadedImageSize(page)).toEqual({ width: alpha.width, height: alpha.height })
    expect(await byTestId(page, 'image-name').innerText()).toContain('alpha.jpg')

    const box = await stageBox(page)
    const fitted = await stageTransform(page)
    const expectedScale = Math.min((box.width - 2 * FIT_MARGIN) / alpha.width, (box.height - 2 * FIT_MARGIN) / alpha.height)
    expect(fitted.scale).toBeCloseTo(expectedScale, 6)
    expect(await byTestId(page, 'zoom-percent').innerText()).toBe(`${Math.round(expectedScale * 100)}%`)

    // The centre of the drawn image has the colour of the centre of the file.
    const { data } = await sharp(alpha.absolutePath).extract({ left: 32, top: 24, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true })
    const centre = imageToStage(fitted, 32.5, 24.5)
    await expect.poll(async () => (await canvasPixel(page, centre.x, centre.y))[3]).toBe(255)
    const pixel = await canvasPixel(page, centre.x, centre.y)
    for (let channel = 0; channel < 3; channel++) expect(Math.abs(pixel[channel]! - data[channel]!)).toBeLessThanOrEqual(6)
    // Outside the image the canvas stays empty (the dark stage background shows through).
    expect((await canvasPixel(page, 2, 2))[3]).toBe(0)
  })

  it('zooms with the wheel around the cursor: the image point under it stays put', async () => {
    const { page } = session
    const box = await stageBox(page)
    const before = await stageTransform(page)
    const cursor = { x: box.width * 0.3, y: box.height * 0.6 }
    await page.mouse.move(box.left + cursor.x, box.top + cursor.y)
    await page.mouse.wheel(0, -240)
    const after = await transformAfterChange(page, before)
    expect(after.scale).toBeGreaterThan(before.scale)

    const imagePoint = { x: (cursor.x - before.offsetX) / before.scale, y: (cursor.y - before.offsetY) / before.scale }
    const landed = imageToStage(after, imagePoint.x, imagePoint.y)
    expect(Math.abs(landed.x - cursor.x)).toBeLessThanOrEqual(1)
    expect(Math.abs(landed.y - cursor.y)).toBeLessThanOrEqual(1)
    expect(await byTestId(page, 'zoom-percent').innerText()).toBe(`${Math.round(after.scale * 100)}%`)

    await page.mouse.wheel(0, 240)
    const zoomedOut = await transformAfterChange(page, after)
    expect(zoomedOut.scale).toBeLessThan(after.scale)
  })

  it('pans by exactly the drag distance', async () => {
    const { page } = session
    const box = await stageBox(page)
    const before = await stageTransform(page)
    const from = { x: box.left + box.width / 2, y: box.top + box.height / 2 }
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    await page.mouse.move(from.x - 90, from.y + 35, { steps: 6 })
    await page.mouse.up()
    const after = await transformAfterChange(page, before)
    expect(after.scale).toBe(before.scale)
    expect(after.offsetX - before.offsetX).toBeCloseTo(-90, 5)
    expect(after.offsetY - before.offsetY).toBeCloseTo(35, 5)
  })

  it('switches between 1:1 and fit with the buttons and the 0 / F keys (1–9 pick classes)', async () => {
    const { page } = session
    const box = await stageBox(page)
    const size = await loadedImageSize(page)
    const fitScale = Math.min((box.width - 2 * FIT_MARGIN) / size.width, (box.height - 2 * FIT_MARGIN) / size.height)

    await byTestId(page, 'zoom-actual').click()
    await expect.poll(async () => (await stageTransform(page)).scale).toBe(1)
    expect(await byTestId(page, 'zoom-percent').innerText()).toBe('100%')

    await byTestId(page, 'zoom-fit').click()
    await expect.poll(async () => (await stageTransform(page)).scale).toBeCloseTo(fitScale, 6)
    const fitted = await stageTransform(page)
    // Fitted means centred too.
    expect(fitted.offsetX + (size.width * fitted.scale) / 2).toBeCloseTo(box.width / 2, 3)
    expect(fitted.offsetY + (size.height * fitted.scale) / 2).toBeCloseTo(box.height / 2, 3)

    await page.keyboard.press('0')
    await expect.poll(async () => (await stageTransform(page)).scale).toBe(1)
    await page.keyboard.press('f')
    await expect.poll(async () => (await stageTransform(page)).scale).toBeCloseTo(fitScale, 6)
  })

  it('moves to the next and previous image with the arrow keys', async () => {
    const { page } = session
    const position = byTestId(page, 'image-position')
    const first = await position.innerText()
    const firstName = await byTestId(page, 'image-name').innerText()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => position.innerText()).not.toBe(first)
    await expect.poll(() => byTestId(page, 'image-name').innerText()).not.toBe(firstName)
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => position.innerText()).toBe(first)
    await expect.poll(() => byTestId(page, 'image-name').innerText()).toBe(firstName)
  })

  it('shows an EXIF-rotated image in its displayed orientation', async () => {
    const { page } = session
    const rotated = folder.images.find((image) => image.orientation === 8)!
    await page.keyboard.press('g')
    await page.locator(`[data-testid="image-tile"][title="${rotated.relativePath}"]`).click()
    await expect.poll(() => byTestId(page, 'image-name').innerText()).toContain(rotated.relativePath)
    await expect
      .poll(async () => [await stage(page).getAttribute('data-image-width'), await stage(page).getAttribute('data-image-height')])
      .toEqual([String(rotated.width), String(rotated.height)])
  })

  it('returns to the grid with G (Esc stays in the image), with the image it came from focused', async () => {
    const { page } = session
    for (let press = 0; press < 3; press++) await page.keyboard.press('Escape')
    expect(await byTestId(page, 'image-view').count()).toBe(1)
    await page.keyboard.press('g')
    await byTestId(page, 'project-view').waitFor()
    expect(await byTestId(page, 'image-view').count()).toBe(0)
    await expect
      .poll(() => page.locator('[data-testid="image-tile"]:focus').getAttribute('title'))
      .toBe(folder.images.find((image) => image.orientation === 8)!.relativePath)
  })

  it('says so on the stage and in words when an image file has gone missing', async () => {
    const { page } = session
    // One the browser has not loaded (nor prefetched as a neighbour) earlier in this session.
    const victim = folder.images.find((image) => image.relativePath === 'epsilon.gif')!
    await rm(victim.absolutePath)
    const problemsBefore = session.problems.length
    await page.locator('[data-testid="image-tile"][title="epsilon.gif"]').click()
    await expect.poll(() => byTestId(page, 'image-load-state').getAttribute('data-state')).toBe('failed')
    expect(await byTestId(page, 'image-load-state').innerText()).toContain('epsilon.gif')
    expect(await byTestId(page, 'error-message').innerText()).toContain('epsilon.gif')
    // The browser logs the failed image request (the log may arrive after the page showed
    // the failure); that one is expected, nothing else.
    await expect.poll(() => session.problems.length).toBeGreaterThan(problemsBefore)
    const newProblems = session.problems.splice(problemsBefore)
    for (const problem of newProblems) expect(problem).toMatch(/Failed to load resource: .*404/)
    await byTestId(page, 'notices').locator('button').click()
    await page.keyboard.press('g')
    await byTestId(page, 'project-view').waitFor()
  })

  it('rescans the folder from the toolbar: a new file joins the grid, the deleted one is marked missing', async () => {
    const { page } = session
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7a55' } }).png().toFile(join(folder.root, 'zeta-added.png'))
    await byTestId(page, 'rescan').click()
    const report = byTestId(page, 'rescan-report')
    await report.waitFor()
    expect(await report.innerText()).toMatch(/^Rescan: 1 new image, 0 changed images .*, 1 missing image;/)
    await expect.poll(() => imageCount(page)).toBe(folder.images.length + 1)
    await expect.poll(() => page.locator('[data-testid="image-tile"][title="zeta-added.png"]').count()).toBe(1)
    expect(await page.locator('[data-testid="image-tile"][title="epsilon.gif"] [data-testid="tile-missing"]').count()).toBe(1)
    expect(await byTestId(page, 'rescan').isEnabled()).toBe(true)
    await byTestId(page, 'scan-report').locator('button').click()
    expect(await report.count()).toBe(0)
  })

  it('keeps the open project across a page reload and lists it under recent projects', async () => {
    const { page } = session
    await page.reload()
    await byTestId(page, 'project-view').waitFor()
    expect(await imageCount(page)).toBe(folder.images.length + 1) // one added by the rescan

    await byTestId(page, 'close-project').click()
    await byTestId(page, 'start-view').waitFor()
    const recent = page.locator('[data-testid="recent-project"]')
    await expect.poll(() => recent.count()).toBe(1)
    expect(await recent.innerText()).toContain('street-scenes')

    await recent.click()
    await byTestId(page, 'project-view').waitFor()
    expect(await imageCount(page)).toBe(folder.images.length + 1)
  })

  it('lists recent projects after a server restart and marks one whose file is gone', async () => {
    const { page } = session
    await restartServer()
    await byTestId(page, 'start-view').waitFor()
    const recent = page.locator('[data-testid="recent-project"]')
    await expect.poll(() => recent.count()).toBe(1)
    const projectFile = (await recent.getAttribute('data-file'))!
    expect(projectFile.startsWith(folder.root)).toBe(true)

    await rm(projectFile, { force: true })
    await restartServer()
    const missing = page.locator('[data-testid="recent-project-missing"]')
    await expect.poll(() => missing.count()).toBe(1)
    expect(await missing.getAttribute('data-file')).toBe(projectFile)
    expect(await missing.innerText()).toContain('missing')
    expect(await missing.isDisabled()).toBe(true)
    expect(await recent.count()).toBe(0)
  })

  it('ran without console errors, page errors or content-security-policy violations', () => {
    expect(session.problems).toEqual([])
  })
})
