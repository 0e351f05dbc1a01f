import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toggleSidePanels } from '../../src-renderer/src/editor/commands/view'
import type { BrowserSession } from '../helpers/browser'
import { runEndedAs, startDetectionWorkbench, type DetectionFolder, type DetectionWorkbench } from './detection-page'
import { byTestId, createProject, loadedImageSize, stageBox } from './workbench-page'

/**
 * The project view and the image view at the window sizes labelers use, from a small laptop
 * (1000×700) to a full-HD monitor: every toolbar button reachable, the file name on screen,
 * nothing drawn over anything else, the canvas wide enough, and side panels that fold away
 * (by key and by button) and stay folded after a reload.
 */

const RUN_TIMEOUT_MS = 120_000
const SIZES = [
  { width: 1000, height: 700 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const
/** The share of the window's width the canvas gets at 1280×720 with both side panels shown. */
const MIN_CANVAS_SHARE = 0.6
/** Narrower than this, a file name is no longer readable even ellipsised. */
const MIN_FILE_NAME_WIDTH = 120
/** A path longer than any toolbar, in a sub-folder, as camera dumps name their files. */
const LONG_NAME = 'survey-2026-north-field-camera-07/frame-000123-left-exposure-bracket-plus-two-stops-rectified.png'
/** The same in Chinese, as a Chinese team's cameras and folders name their files. */
const CHINESE_NAME = '北区测量-2026-相机07/第000123帧-左侧-曝光包围加两档-校正后.png'
/** A class name as long as Chinese teams write them. */
const CHINESE_CLASS = '交通锥（橙色，反光）'
const IMAGE_TOOLBAR_BUTTONS = ['back-to-grid', 'previous-image', 'next-image', 'tool-select', 'tool-draw', 'undo', 'redo', 'review-toggle', 'zoom-out', 'zoom-in', 'zoom-fit', 'zoom-actual', 'show-shortcuts']

/** Where to keep screenshots of each layout for a person to look at; none are taken without it. */
const SCREENSHOT_DIR = process.env.RW_SCREENSHOT_DIR
const repositoryRoot = resolve(import.meta.dirname, '..', '..')

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

/** The few DOM members the layout checks use; test code is compiled without the DOM library. */
interface RectLike {
  left: number
  top: number
  right: number
  bottom: number
  width: number
  height: number
}
interface ElementLike {
  tagName: string
  textContent: string | null
  getAttribute(name: string): string | null
  getBoundingClientRect(): RectLike
  contains(other: ElementLike | null): boolean
}
interface WindowLike {
  innerWidth: number
  innerHeight: number
  document: { elementFromPoint(x: number, y: number): ElementLike | null }
}

/**
 * What is wrong with the layout of these elements: any that leaves the window, any two that
 * overlap (an element and its own descendants excepted), and, with `reachable`, any whose
 * centre a click would not reach (covered or clipped by something else).
 */
function layoutProblems(elements: Locator, reachable = false): Promise<string[]> {
  return elements.evaluateAll((items: ElementLike[], checkReachable: boolean) => {
    const view = globalThis as unknown as WindowLike
    const name = (element: ElementLike) =>
      element.getAttribute('data-testid') ?? `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim().slice(0, 24)}"`
    const shown = items.map((element) => ({ element, rect: element.getBoundingClientRect() })).filter(({ rect }) => rect.width > 0 && rect.height > 0)
    const problems: string[] = []
    for (const { element, rect } of shown) {
      if (rect.left < 0 || rect.top < 0 || rect.right > view.innerWidth || rect.bottom > view.innerHeight) {
        problems.push(`${name(element)} leaves the window (${Math.round(rect.left)}…${Math.round(rect.right)} × ${Math.round(rect.top)}…${Math.round(rect.bottom)})`)
      } else if (checkReachable && !element.contains(view.document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2))) {
        problems.push(`${name(element)} cannot be clicked: something covers or clips it`)
      }
    }
    // Half a pixel of rounding is not an overlap.
    const overlap = (a: RectLike, b: RectLike) =>
      Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length; j++) {
        const a = shown[i]!
        const b = shown[j]!
        if (a.element.contains(b.element) || b.element.contains(a.element)) continue
        if (overlap(a.rect, b.rect)) problems.push(`${name(a.element)} overlaps ${name(b.element)}`)
      }
    }
    return problems
  }, reachable)
}

/** Whether an element's content is wider than the element (it scrolls or is cut off sideways). */
function overflowsSideways(element: Locator): Promise<boolean> {
  return element.evaluate((node: { scrollWidth: number; clientWidth: number }) => node.scrollWidth > node.clientWidth + 1)
}

/** The elements that reach past the left or right edge of their container (clipped or drawn over what is beside it). */
async function sticksOut(container: Locator, items: Locator): Promise<string[]> {
  const box = await container.evaluate((node: ElementLike) => {
    const rect = node.getBoundingClientRect()
    return { left: rect.left, right: rect.right }
  })
  return items.evaluateAll(
    (elements: ElementLike[], edges: { left: number; right: number }) =>
      elements
        .filter((element) => {
          const rect = element.getBoundingClientRect()
          return rect.left < edges.left - 0.5 || rect.right > edges.right + 0.5
        })
        .map((element) => (element.textContent ?? '').trim().slice(0, 40)),
    box,
  )
}

async function expectWithinWindow(page: Page, element: Locator): Promise<void> {
  const box = await element.boundingBox()
  const viewport = page.viewportSize()
  expect(box, 'the element is rendered').not.toBeNull()
  expect(box!.x).toBeGreaterThanOrEqual(0)
  expect(box!.y).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport!.width + 0.5)
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport!.height + 0.5)
}

async function showProjectView(page: Page): Promise<void> {
  if ((await byTestId(page, 'image-view').count()) > 0) await byTestId(page, 'back-to-grid').click()
  await byTestId(page, 'project-view').waitFor()
}

async function openLongNamedImage(page: Page): Promise<void> {
  await openImageNamed(page, LONG_NAME)
}

async function openImageNamed(page: Page, fileName: string): Promise<void> {
  if ((await byTestId(page, 'image-view').count()) > 0 && (await byTestId(page, 'image-name').getAttribute('title')) !== fileName) {
    await byTestId(page, 'back-to-grid').click()
  }
  if ((await byTestId(page, 'image-view').count()) === 0) {
    await page.locator(`[data-testid="image-tile"][title="${fileName}"]`).click()
    await byTestId(page, 'image-view').waitFor()
  }
  await loadedImageSize(page)
  await expect.poll(() => byTestId(page, 'image-name').getAttribute('title')).toBe(fileName)
}

function collapsed(page: Page, panel: 'object-list' | 'class-panel'): Promise<string | null> {
  return byTestId(page, panel).getAttribute('data-collapsed')
}

/** The stage's width once the viewer has measured it again after a layout change. */
async function stageWidthAfterChange(page: Page, before: number): Promise<number> {
  await expect.poll(async () => (await stageBox(page)).width).not.toBe(before)
  return (await stageBox(page)).width
}

async function reloadIntoImageView(page: Page): Promise<void> {
  await page.reload()
  await byTestId(page, 'project-view').waitFor()
  await openLongNamedImage(page)
}

/** The project view at `size`: header, toolbar and runs panel inside the window, nothing overlapping. */
async function expectProjectViewFits(page: Page, size: { width: number; height: number }, name: string): Promise<void> {
  await page.setViewportSize(size)
  await showProjectView(page)
  // The counters at their widest: the run's labels and detections counted.
  await expect.poll(async () => Number(await byTestId(page, 'project-detection-count').getAttribute('data-count'))).toBeGreaterThan(0)
  await screenshot(page, `${name}-project`)

  const header = byTestId(page, 'project-header')
  expect(await layoutProblems(header.locator('h1, .project-root, [data-testid="image-count"], .project-counters > *, button'), true)).toEqual([])
  expect(await overflowsSideways(header)).toBe(false)
  const toolbar = byTestId(page, 'project-toolbar')
  expect(await layoutProblems(toolbar.locator('select, button, label, .group-label'), true)).toEqual([])
  // The header, the toolbar and the grid follow each other down the window.
  expect(await layoutProblems(page.locator('[data-testid="project-header"], [data-testid="project-toolbar"], [data-testid="image-grid"], [data-testid="project-side"]'))).toEqual([])
  await expectWithinWindow(page, byTestId(page, 'project-side'))
  expect(await overflowsSideways(byTestId(page, 'runs-panel'))).toBe(false)
  expect(await layoutProblems(byTestId(page, 'runs-panel').locator('button'), true)).toEqual([])
}

/** The image view at `size`, showing `imageFile`: every toolbar button and the file name on screen, nothing overlapping. */
async function expectImageViewFits(page: Page, size: { width: number; height: number }, name: string, imageFile = LONG_NAME): Promise<void> {
  await page.setViewportSize(size)
  await openImageNamed(page, imageFile)
  await screenshot(page, `${name}-image`)

  const toolbar = byTestId(page, 'image-toolbar')
  const items = toolbar.locator(':scope > :not(.toolbar-group), .toolbar-group > *')
  expect(await layoutProblems(items, true)).toEqual([])
  for (const testId of IMAGE_TOOLBAR_BUTTONS) {
    await expectWithinWindow(page, byTestId(page, testId))
    expect(await layoutProblems(byTestId(page, testId), true), testId).toEqual([])
  }
  const fileName = byTestId(page, 'image-name')
  await expectWithinWindow(page, fileName)
  expect((await fileName.boundingBox())!.width).toBeGreaterThanOrEqual(MIN_FILE_NAME_WIDTH)
  // Cut short with an ellipsis where it does not fit (the whole path is in its tooltip); whole on a full-HD screen.
  const path = await fileName.locator('.image-path').evaluate((node: unknown) => {
    const { scrollWidth, clientWidth } = node as { scrollWidth: number; clientWidth: number }
    const style = (globalThis as unknown as { getComputedStyle(element: unknown): { textOverflow: string } }).getComputedStyle(node)
    return { cut: scrollWidth > clientWidth, ellipsis: style.textOverflow === 'ellipsis' }
  })
  expect(path.ellipsis).toBe(true)
  if (size.width >= 1920) expect(path.cut).toBe(false)
  expect(await layoutProblems(page.locator('[data-testid="image-toolbar"], [data-testid="image-stage"], [data-testid="object-list"], [data-testid="class-panel"]'))).toEqual([])
  await expectWithinWindow(page, byTestId(page, 'class-panel'))
  await expectWithinWindow(page, byTestId(page, 'object-list'))
  expect(await collapsed(page, 'object-list')).toBe('false')
  expect(await collapsed(page, 'class-panel')).toBe('false')
  expect(await overflowsSideways(byTestId(page, 'class-panel'))).toBe(false)

  const share = (await stageBox(page)).width / size.width
  if (size.width >= 1280) expect(share).toBeGreaterThanOrEqual(MIN_CANVAS_SHARE)
}

describe('layouts from 1000×700 up', () => {
  let workbench: DetectionWorkbench | undefined
  let folder: DetectionFolder
  let session: BrowserSession

  beforeAll(async () => {
    // A project name as long as real ones get, which the header must shorten rather than overlap.
    workbench = await startDetectionWorkbench('rw-e2e-layouts-', 'north-field-survey-2026-camera-rig-b')
    ;({ folder, session } = workbench)
    const longNamed = join(folder.root, LONG_NAME)
    await mkdir(dirname(longNamed), { recursive: true })
    await copyFile(join(repositoryRoot, 'test', 'fixtures', 'golden', 'images', 'landscape-320x256.png'), longNamed)
    const chineseNamed = join(folder.root, CHINESE_NAME)
    await mkdir(dirname(chineseNamed), { recursive: true })
    await copyFile(join(repositoryRoot, 'test', 'fixtures', 'golden', 'images', 'landscape-320x256.png'), chineseNamed)
  })

  afterAll(async () => {
    await workbench?.stop()
  })

  // A project after a run: classes in the side panel, a run in the runs panel, counters in the header.
  it('opens a project and runs detection on it', { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
    const { page } = session
    await createProject(page, folder.root)
    await byTestId(page, 'run-start').click()
    const run = await runEndedAs(page, 'done', RUN_TIMEOUT_MS)
    expect(run.total).toBe(folder.readable.length + 3)
  })

  for (const size of SIZES) {
    const label = `${size.width}×${size.height}`

    it(`${label}: the project header, toolbar and runs panel fit the window without overlapping`, () =>
      expectProjectViewFits(session.page, size, `layout-${size.width}x${size.height}`))

    it(`${label}: every image toolbar button and the file name are on screen, nothing overlaps`, () =>
      expectImageViewFits(session.page, size, `layout-${size.width}x${size.height}`))
  }

  it('folds both side panels away with P, keeps them folded after a reload, and P shows them again', async () => {
    const { page } = session
    await page.setViewportSize({ width: 1280, height: 720 })
    await openLongNamedImage(page)
    const shownWidth = (await stageBox(page)).width

    await page.keyboard.press('p')
    await expect.poll(() => collapsed(page, 'object-list')).toBe('true')
    expect(await collapsed(page, 'class-panel')).toBe('true')
    const foldedWidth = await stageWidthAfterChange(page, shownWidth)
    expect(foldedWidth).toBeGreaterThan(shownWidth)
    await screenshot(page, 'layout-1280x720-image-panels-folded')

    await reloadIntoImageView(page)
    expect(await collapsed(page, 'object-list')).toBe('true')
    expect(await collapsed(page, 'class-panel')).toBe('true')
    await expect.poll(async () => (await stageBox(page)).width).toBe(foldedWidth)

    await page.keyboard.press('p')
    await expect.poll(() => collapsed(page, 'object-list')).toBe('false')
    expect(await collapsed(page, 'class-panel')).toBe('false')
    await expect.poll(async () => (await stageBox(page)).width).toBe(shownWidth)
  })

  it('folds each side panel by its own button, remembers which after a reload, and unfolds it by the button', async () => {
    const { page } = session
    await page.setViewportSize({ width: 1000, height: 700 })
    await openLongNamedImage(page)
    const shownWidth = (await stageBox(page)).width

    await byTestId(page, 'object-list-collapse').click()
    await expect.poll(() => collapsed(page, 'object-list')).toBe('true')
    expect(await collapsed(page, 'class-panel')).toBe('false')
    const withoutList = await stageWidthAfterChange(page, shownWidth)
    expect(withoutList).toBeGreaterThan(shownWidth)

    await byTestId(page, 'class-panel-collapse').click()
    await expect.poll(() => collapsed(page, 'class-panel')).toBe('true')
    expect(await stageWidthAfterChange(page, withoutList)).toBeGreaterThan(withoutList)
    // The folded strips keep their buttons on screen and reachable.
    expect(await layoutProblems(page.locator('[data-testid="object-list-expand"], [data-testid="class-panel-expand"]'), true)).toEqual([])
    await screenshot(page, 'layout-1000x700-image-panels-folded')

    await reloadIntoImageView(page)
    expect(await collapsed(page, 'object-list')).toBe('true')
    expect(await collapsed(page, 'class-panel')).toBe('true')

    await byTestId(page, 'class-panel-expand').click()
    await expect.poll(() => collapsed(page, 'class-panel')).toBe('false')
    expect(await collapsed(page, 'object-list')).toBe('true')
    await byTestId(page, 'object-list-expand').click()
    await expect.poll(() => collapsed(page, 'object-list')).toBe('false')
    await expect.poll(async () => (await stageBox(page)).width).toBe(shownWidth)

    // Shortcuts still reach the viewer after a panel button was clicked (the button gives the keys back).
    await page.keyboard.press('p')
    await expect.poll(() => collapsed(page, 'class-panel')).toBe('true')
    await page.keyboard.press('p')
    await expect.poll(() => collapsed(page, 'class-panel')).toBe('false')
  })

  it('lists the panel key in the shortcut sheet, which fits the smallest window', async () => {
    const { page } = session
    await page.setViewportSize({ width: 1000, height: 700 })
    await openLongNamedImage(page)
    await byTestId(page, 'show-shortcuts').click()
    const sheet = byTestId(page, 'shortcuts')
    await sheet.waitFor()
    expect(await sheet.innerText()).toContain(toggleSidePanels.title)
    await screenshot(page, 'layout-1000x700-shortcuts')
    await expectWithinWindow(page, sheet)
    expect(await overflowsSideways(sheet)).toBe(false)
    expect(await sticksOut(sheet, sheet.locator('dt, dd, kbd'))).toEqual([])
    await page.keyboard.press('Escape')
    await sheet.waitFor({ state: 'detached' })
  })

  it('1280×720 in Simplified Chinese, with a Chinese file name and class name: the same checks hold', async () => {
    const { page } = session
    const size = { width: 1280, height: 720 }
    await page.setViewportSize(size)
    await showProjectView(page)
    await byTestId(page, 'language-switch').selectOption('zh-CN')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await expectProjectViewFits(page, size, 'layout-1280x720-zh-CN')

    await openImageNamed(page, CHINESE_NAME)
    const row = byTestId(page, 'class-row').first()
    await row.locator('[data-testid="class-rename"]').click()
    await byTestId(page, 'class-rename-input').fill(CHINESE_CLASS)
    await byTestId(page, 'class-rename-input').press('Enter')
    await expect.poll(() => row.getAttribute('data-class-name')).toBe(CHINESE_CLASS)
    await expectImageViewFits(page, size, 'layout-1280x720-zh-CN', CHINESE_NAME)
    // The class name is whole in its row, not cut short.
    expect(await overflowsSideways(row.locator('[data-testid="class-name"]'))).toBe(false)
    expect(await byTestId(page, 'review-toggle').innerText()).toBe('标记为已审核')
    await byTestId(page, 'language-switch').selectOption('en')
  })
})
