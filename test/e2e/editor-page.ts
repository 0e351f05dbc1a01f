import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import type { ImageLabels } from '../../src-shared/api/label-types'
import type { Box } from '../../src-shared/geometry/box'
import { byTestId, imageToStage, stage, stageBox, stageTransform } from './workbench-page'

/**
 * What the editor e2e tests and the editor benchmark do with the image view: API reads
 * through the page's own signed-in session, and pointer gestures in image pixels.
 */

/** Calls the served API from inside the page (its address, `/<token>/`, signs the request in). */
export async function apiCall<T>(page: Page, method: string, args: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ method: name, args: body }) => {
      const response = await fetch(`api/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
      return (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } }
    },
    { method, args },
  )
  if (!result.ok) throw new Error(`${method} failed: ${result.error?.message ?? 'unknown error'}`)
  return result.value as T
}

export function labelsOf(page: Page, imageId: number): Promise<ImageLabels> {
  return apiCall<ImageLabels>(page, 'labels.forImage', { imageId })
}

export async function shownImageId(page: Page): Promise<number> {
  return Number(await stage(page).getAttribute('data-image-id'))
}

/** Waits until the stage shows `count` labels of the current image. */
export async function expectLabelCount(page: Page, count: number): Promise<void> {
  await expect.poll(async () => Number(await stage(page).getAttribute('data-labels'))).toBe(count)
}

export async function selectedIds(page: Page): Promise<number[]> {
  const text = (await stage(page).getAttribute('data-selected')) ?? ''
  return text === '' ? [] : text.split(',').map(Number)
}

/** Page coordinates of an image point under the current view. */
export async function pagePoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await stageBox(page)
  const point = imageToStage(await stageTransform(page), x, y)
  return { x: box.left + point.x, y: box.top + point.y }
}

/** A press, a few moves and a release, between two image points; `beforeRelease` runs with the button still down. */
export async function dragImage(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  options: { beforeRelease?: () => Promise<void>; steps?: number } = {},
): Promise<void> {
  const start = await pagePoint(page, from.x, from.y)
  const end = await pagePoint(page, to.x, to.y)
  await page.mouse.move(start.x, start.y)
  await page.mouse.down()
  await page.mouse.move(end.x, end.y, { steps: options.steps ?? 8 })
  await options.beforeRelease?.()
  await page.mouse.up()
}

export async function clickImage(page: Page, x: number, y: number): Promise<void> {
  const point = await pagePoint(page, x, y)
  await page.mouse.click(point.x, point.y)
}

export function centre(box: Readonly<Box>): { x: number; y: number } {
  return { x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 }
}

export async function undoEnabled(page: Page): Promise<boolean> {
  return byTestId(page, 'undo').isEnabled()
}

/** Clicks a label's row in the object list, scrolling the (virtual) list to it first. */
export async function clickObjectRow(page: Page, labelId: number): Promise<void> {
  const imageId = await shownImageId(page)
  const index = (await labelsOf(page, imageId)).labels.findIndex((label) => label.id === labelId)
  if (index === -1) throw new Error(`Label ${labelId} is not on image ${imageId}`)
  const rows = byTestId(page, 'object-list-rows')
  const rowHeight = Number(await rows.getAttribute('data-row-height'))
  await rows.evaluate((element: { scrollTop: number }, top: number) => {
    element.scrollTop = top
  }, index * rowHeight)
  await page.locator(`[data-testid="object-row"][data-label-id="${labelId}"]`).click()
}
