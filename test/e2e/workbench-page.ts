import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'

/**
 * What the e2e tests do with the workbench UI, by `data-testid`. Each helper waits for the
 * UI to settle the way a person would (an element appears, an attribute changes).
 */

export interface StageTransform {
  scale: number
  offsetX: number
  offsetY: number
}

export interface StageBox {
  left: number
  top: number
  width: number
  height: number
}

/** The few canvas members the pixel check uses; test code is compiled without the DOM library. */
interface CanvasLike {
  width: number
  height: number
  clientWidth: number
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null
}

export function byTestId(page: Page, testId: string): Locator {
  return page.locator(`[data-testid="${testId}"]`)
}

/** Types the folder path into the start view and waits for the project view (scanning may take a while). */
export async function createProject(page: Page, imageFolder: string, timeoutMs = 30_000): Promise<void> {
  await byTestId(page, 'new-project-folder').fill(imageFolder)
  await byTestId(page, 'new-project-create').click()
  await byTestId(page, 'project-view').waitFor({ timeout: timeoutMs })
}

/** The grid's image count, once the current filter's first answer has come (it reads 0 until then). */
export async function imageCount(page: Page): Promise<number> {
  const count = byTestId(page, 'image-count')
  await count.waitFor()
  await expect.poll(() => count.getAttribute('data-counted')).toBe('true')
  return Number(await count.getAttribute('data-count'))
}

export function tile(page: Page, index: number): Locator {
  return page.locator(`[data-testid="image-tile"][data-index="${index}"]`)
}

/** Scrolls the grid's scroll container by setting scrollTop (a fraction of its scroll range). */
export async function scrollGridTo(page: Page, fraction: number): Promise<void> {
  await byTestId(page, 'image-grid').evaluate(
    (element: { scrollTop: number; scrollHeight: number; clientHeight: number }, to: number) => {
      element.scrollTop = Math.round((element.scrollHeight - element.clientHeight) * to)
    },
    fraction,
  )
}

export function stage(page: Page): Locator {
  return byTestId(page, 'image-stage')
}

export async function stageTransform(page: Page): Promise<StageTransform> {
  const element = stage(page)
  const read = async (name: string) => Number(await element.getAttribute(name))
  return { scale: await read('data-scale'), offsetX: await read('data-offset-x'), offsetY: await read('data-offset-y') }
}

/** Where the stage is on the page, and the size the viewer uses for it (whole CSS pixels). */
export async function stageBox(page: Page): Promise<StageBox> {
  const element = stage(page)
  const box = await element.boundingBox()
  if (!box) throw new Error('The image stage is not on screen')
  return {
    left: box.x,
    top: box.y,
    width: Number(await element.getAttribute('data-stage-width')),
    height: Number(await element.getAttribute('data-stage-height')),
  }
}

/** Waits until the stage reports the loaded image's size, and returns it. */
export async function loadedImageSize(page: Page): Promise<{ width: number; height: number }> {
  const element = page.locator('[data-testid="image-stage"][data-image-width]')
  await element.waitFor()
  return {
    width: Number(await element.getAttribute('data-image-width')),
    height: Number(await element.getAttribute('data-image-height')),
  }
}

/** Waits for the transform to differ from `previous` (the store updates on the next frame). */
export async function transformAfterChange(page: Page, previous: StageTransform): Promise<StageTransform> {
  await expect
    .poll(async () => {
      const current = await stageTransform(page)
      return current.scale !== previous.scale || current.offsetX !== previous.offsetX || current.offsetY !== previous.offsetY
    })
    .toBe(true)
  return stageTransform(page)
}

/**
 * RGBA of one of the stage's canvases at a stage point (CSS pixels): Konva gives each layer
 * its own canvas, the image layer first and the topmost layer last.
 */
export async function canvasPixel(page: Page, stageX: number, stageY: number, layer: 'image' | 'topmost' = 'image'): Promise<number[]> {
  const canvases = stage(page).locator('canvas')
  return (layer === 'image' ? canvases.first() : canvases.last())
    .evaluate(
      (canvas: CanvasLike, point: { x: number; y: number }) => {
        const ratio = canvas.width / canvas.clientWidth
        const data = canvas.getContext('2d')?.getImageData(Math.round(point.x * ratio), Math.round(point.y * ratio), 1, 1).data
        return data ? Array.from(data) : []
      },
      { x: stageX, y: stageY },
    )
}

/** Stage point (CSS pixels) where an image point lands under `transform`. */
export function imageToStage(transform: StageTransform, x: number, y: number): { x: number; y: number } {
  return { x: x * transform.scale + transform.offsetX, y: y * transform.scale + transform.offsetY }
}
