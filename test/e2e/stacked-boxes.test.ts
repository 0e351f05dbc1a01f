import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Label } from '../../src-shared/api/label-types'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { openSceneImage, SCENE, seedCorrectionProject, type SeededProject } from './correction-project'
import { centre, clickImage, dragImage, expectLabelCount, labelsOf, pagePoint, selectedIds } from './editor-page'
import { byTestId, stage } from './workbench-page'

/**
 * Boxes stacked at one point (issue 19): a "circle 0.36" suggestion inside a "square 0.51"
 * label. Clicks at one point step through them smallest first; S then Enter reaches the
 * suggestion without the pointer; a drag still moves the selected box.
 */

const IMAGE = 'a-to-correct.png'
const detection = (name: string) => SCENE[IMAGE]!.find((item) => item.name === name)!

describe('editor: boxes stacked at one point', () => {
  let folder: string
  let app: ServedApp | undefined
  let session: BrowserSession | undefined
  let project: SeededProject
  let imageId: number
  let squareId: number
  let circleDetectionId: number

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'rw-e2e-stacked-'))
    app = await serveApp()
    session = await launchBrowser()
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
    project = await seedCorrectionProject(session.page, folder)
    imageId = project.imageIds[IMAGE]!
  }, 60_000)

  afterAll(async () => {
    await session?.page.goto('about:blank')
    await session?.close()
    await app?.stop()
    await rm(folder, { recursive: true, force: true })
  })

  const selectedSuggestion = async () => (await stage(session!.page).getAttribute('data-selected-suggestion')) ?? null

  it('opens the image with the square as a label and the circle inside it as a suggestion', async () => {
    const { page } = session!
    await openSceneImage(page, IMAGE, imageId)
    const labels = await labelsOf(page, imageId)
    const square = labels.labels.find((label) => label.score === detection('square').score)
    expect(square?.box).toEqual(detection('square').box)
    squareId = square!.id
    expect(labels.suggestions.map((suggestion) => suggestion.score)).toEqual([detection('nested-circle').score])
    circleDetectionId = labels.suggestions[0]!.id
    await expect.poll(async () => Number(await stage(page).getAttribute('data-suggestions'))).toBe(1)
  })

  it('steps through the boxes under one point with clicks, smallest first, and Enter accepts the suggestion', async () => {
    const { page } = session!
    const point = centre(detection('nested-circle').box)
    await clickImage(page, point.x, point.y)
    await expect.poll(selectedSuggestion).toBe(String(circleDetectionId))
    expect(await selectedIds(page)).toEqual([])
    await clickImage(page, point.x, point.y)
    await expect.poll(() => selectedIds(page)).toEqual([squareId])
    expect(await selectedSuggestion()).toBeNull()
    await clickImage(page, point.x, point.y)
    await expect.poll(selectedSuggestion).toBe(String(circleDetectionId))

    const before = (await labelsOf(page, imageId)).labels.length
    await page.keyboard.press('Enter')
    await expectLabelCount(page, before + 1)
    const accepted = (await labelsOf(page, imageId)).labels.find((label) => label.detectionId === circleDetectionId)
    expect(accepted).toMatchObject({ classId: project.classIds.circle, box: detection('nested-circle').box, origin: 'detection' })
    expect(await selectedIds(page)).toEqual([accepted!.id])
  })

  it('reaches the same suggestion with S and accepts it with Enter, no pointer', async () => {
    const { page } = session!
    const before = (await labelsOf(page, imageId)).labels.length
    await page.keyboard.press('Control+z')
    await expectLabelCount(page, before - 1)
    await page.keyboard.press('s')
    await expect.poll(selectedSuggestion).toBe(String(circleDetectionId))
    await page.keyboard.press('Enter')
    await expectLabelCount(page, before)
    expect((await labelsOf(page, imageId)).labels.some((label) => label.detectionId === circleDetectionId)).toBe(true)
  })

  it('a drag after two clicks moves the larger box the clicks chose, and leaves the nested one where it was', async () => {
    const { page } = session!
    const point = centre(detection('nested-circle').box)
    const circleLabel = (): Promise<Label | undefined> =>
      labelsOf(page, imageId).then((labels) => labels.labels.find((label) => label.detectionId === circleDetectionId))
    const circleId = (await circleLabel())!.id
    // The accepted circle is selected: a click at a new spot starts again from the smallest.
    await page.keyboard.press('Escape')
    await clickImage(page, point.x, point.y)
    await expect.poll(() => selectedIds(page)).toEqual([circleId])
    await clickImage(page, point.x, point.y)
    await expect.poll(() => selectedIds(page)).toEqual([squareId])

    await dragImage(page, point, { x: point.x + 20, y: point.y + 10 })
    const squareBox = async () => (await labelsOf(page, imageId)).labels.find((label) => label.id === squareId)!.box
    await expect.poll(async () => (await squareBox())[0]).not.toBe(detection('square').box[0])
    // The pointer lands on whole page pixels, so the move is 20 and 10 image pixels to within one stage pixel.
    const moved = await squareBox()
    const original = detection('square').box
    expect(moved[0] - original[0]).toBeCloseTo(20, 0)
    expect(moved[1] - original[1]).toBeCloseTo(10, 0)
    expect(moved[2] - moved[0]).toBeCloseTo(original[2] - original[0], 6)
    expect((await circleLabel())?.box).toEqual(detection('nested-circle').box)
    expect(await selectedIds(page)).toEqual([squareId])
  })

  it('a double-click on stacked boxes changes the class of the smallest, the one its first click chose', async () => {
    const { page } = session!
    const circle = (await labelsOf(page, imageId)).labels.find((label) => label.detectionId === circleDetectionId)!
    const point = await pagePoint(page, centre(detection('nested-circle').box).x, centre(detection('nested-circle').box).y)
    await page.mouse.dblclick(point.x, point.y)
    await byTestId(page, 'class-picker').waitFor()
    expect(await selectedIds(page)).toEqual([circle.id])
    await page.keyboard.press('Escape')
    await expect.poll(() => byTestId(page, 'class-picker').count()).toBe(0)
  })

  it('says in the ? sheet that clicking again steps to the next larger box', async () => {
    const { page } = session!
    await page.keyboard.press('?')
    await byTestId(page, 'shortcuts').waitFor()
    expect(await byTestId(page, 'shortcuts').innerText()).toContain('click again there for the next larger one')
    await page.keyboard.press('Escape')
    await expect.poll(() => byTestId(page, 'shortcuts').count()).toBe(0)
  })

  it('spends one round trip on a nudge: its own labels.changed echo is not read again', async () => {
    const { page } = session!
    await page.keyboard.press('Escape')
    // Inside the square (moved by an earlier test), away from the circle within it.
    const square = (await labelsOf(page, imageId)).labels.find((label) => label.id === squareId)!.box
    await clickImage(page, square[0] + 3, square[1] + 3)
    await expect.poll(() => selectedIds(page)).toEqual([squareId])
    const labelCalls: string[] = []
    const record = (request: { url(): string }) => {
      const method = /\/api\/(labels\.[A-Za-z]+)$/.exec(new URL(request.url()).pathname)?.[1]
      if (method) labelCalls.push(method)
    }
    page.on('request', record)
    try {
      const answered = page.waitForResponse((response) => response.url().endsWith('/api/labels.edit'))
      await page.keyboard.press('ArrowRight')
      await answered
      // The echo comes over the event stream within milliseconds; give a refetch time to show.
      await page.waitForTimeout(500)
    } finally {
      page.off('request', record)
    }
    expect(labelCalls).toEqual(['labels.edit'])
  })

  it('met no script errors on the way', () => {
    expect(session!.problems).toEqual([])
  })
})
