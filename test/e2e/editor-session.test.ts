import Database from 'better-sqlite3'
import { mkdir } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Label } from '../../src-shared/api/label-types'
import type { DetectionBox, ProjectClass } from '../../src-shared/api/types'
import type { Box } from '../../src-shared/geometry/box'
import type { BrowserSession } from '../helpers/browser'
import { runEndedAs, setScoreThreshold, startDetectionWorkbench, type DetectionFolder, type DetectionWorkbench } from './detection-page'
import { apiCall, centre, clickImage, clickObjectRow, dragImage, expectLabelCount, labelsOf, selectedIds, shownImageId } from './editor-page'
import { byTestId, createProject, stage, stageTransform } from './workbench-page'

const RUN_TIMEOUT_MS = 120_000
/**
 * The README's picture of the editor is refreshed only on request (`RW_UPDATE_SCREENSHOTS=1 npx vitest
 * run test/e2e/editor-session.test.ts`), so a test run never changes a tracked file.
 */
const SCREENSHOT = process.env.RW_UPDATE_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '..', '..', 'docs', 'editor.png') : undefined

interface LabelRow {
  id: number
  class_id: number
  x1: number
  y1: number
  x2: number
  y2: number
  origin: string
  detection_id: number | null
}

/**
 * A whole correction session in Chromium with keyboard and mouse, then the project file
 * read directly: the labels and the edit log must be exactly what the session did.
 */
describe('editor: a correction session with keyboard and mouse', () => {
  let workbench: DetectionWorkbench | undefined
  let folder: DetectionFolder
  let session: BrowserSession
  let imageId: number
  let classes: ProjectClass[]
  let initial: Label[]
  /** What the session expects of the image's labels, kept in step with every gesture. */
  const expected = new Map<number, { classId: number; box: Box; detectionId: number | null }>()
  let drawnId: number
  let acceptedDetection: DetectionBox

  beforeAll(async () => {
    // The screenshot can go to docs/ for the README (see SCREENSHOT).
    await mkdir(resolve(import.meta.dirname, '..', '..', 'docs'), { recursive: true })
    workbench = await startDetectionWorkbench('rw-e2e-editor-', 'street')
    ;({ folder, session } = workbench)
  })

  afterAll(async () => {
    await workbench?.stop()
  })

  function projectFile(): string {
    return join(folder.root, `${basename(folder.root)}.rwproj`)
  }

  async function expectBox(labelId: number, box: Box): Promise<void> {
    await expect
      .poll(async () => (await labelsOf(session.page, imageId)).labels.find((label) => label.id === labelId)?.box)
      .toEqual(box)
  }

  it('opens the first image after a run, with its labels and dimmed suggestions', { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
    const { page } = session
    await createProject(page, folder.root)
    await byTestId(page, 'run-scope').selectOption('unprocessed')
    await byTestId(page, 'run-start').click()
    await runEndedAs(page, 'done', RUN_TIMEOUT_MS)
    await page.locator(`[data-testid="image-tile"][title="${folder.readable[0]}"]`).click()
    await byTestId(page, 'image-view').waitFor()
    await page.locator('[data-testid="image-stage"][data-image-width]').waitFor()
    await setScoreThreshold(page, 0)
    imageId = await shownImageId(page)
    const labels = await labelsOf(page, imageId)
    initial = labels.labels
    for (const label of initial) expected.set(label.id, { classId: label.classId, box: label.box, detectionId: label.detectionId })
    classes = (await apiCall<ProjectClass[]>(page, 'classes.list', {})).sort((a, b) => a.order - b.order)
    expect(classes.length).toBeGreaterThanOrEqual(2)
    await expectLabelCount(page, initial.length)
    expect(labels.suggestions.length).toBeGreaterThan(0)
    expect(Number(await stage(page).getAttribute('data-suggestions'))).toBe(labels.suggestions.length)
    expect(Number(await byTestId(page, 'object-list').getAttribute('data-count'))).toBe(initial.length)
  })

  it('draws a box with W, which takes a class and opens the picker; typing a name relabels it', async () => {
    const { page } = session
    await page.keyboard.press('w')
    expect(await stage(page).getAttribute('data-tool')).toBe('draw')
    await dragImage(page, { x: 20, y: 20 }, { x: 80, y: 70 })
    await expectLabelCount(page, initial.length + 1)
    const [created] = await selectedIds(page)
    drawnId = created!
    await byTestId(page, 'class-picker').waitFor()
    const target = classes[1]!
    await byTestId(page, 'class-picker-search').fill(target.name)
    await page.keyboard.press('Enter')
    await expect.poll(() => byTestId(page, 'class-picker').count()).toBe(0)
    await expect.poll(async () => (await labelsOf(page, imageId)).labels.find((label) => label.id === drawnId)?.classId).toBe(target.id)
    const drawn = (await labelsOf(page, imageId)).labels.find((label) => label.id === drawnId)!
    // Drawn in image pixels of the displayed frame, from the drag's corners (within a pixel of the mouse grid).
    for (const [index, value] of [20, 20, 80, 70].entries()) expect(Math.abs(drawn.box[index]! - value)).toBeLessThan(1)
    expect(drawn.origin).toBe('manual')
    expected.set(drawnId, { classId: target.id, box: drawn.box, detectionId: null })
  })

  it('moves the box by dragging it, as one edit', async () => {
    const { page } = session
    const before = expected.get(drawnId)!.box
    const { scale } = await stageTransform(page)
    const from = centre(before)
    await dragImage(page, from, { x: from.x + 60 / scale, y: from.y + 30 / scale })
    await expect.poll(async () => (await labelsOf(page, imageId)).labels.find((label) => label.id === drawnId)?.box[0]).not.toBe(before[0])
    const moved = (await labelsOf(page, imageId)).labels.find((label) => label.id === drawnId)!.box
    expect(moved[0] - before[0]).toBeCloseTo(60 / scale, 1)
    expect(moved[1] - before[1]).toBeCloseTo(30 / scale, 1)
    expect(moved[2] - moved[0]).toBeCloseTo(before[2] - before[0], 6)
    expected.set(drawnId, { ...expected.get(drawnId)!, box: moved })
  })

  it('leaves nothing behind when Esc cancels a drag', async () => {
    const { page } = session
    const history = await apiCall<{ undo: { command: string } | null }>(page, 'labels.history', {})
    const box = expected.get(drawnId)!.box
    await dragImage(page, centre(box), { x: centre(box).x + 15, y: centre(box).y + 15 }, {
      beforeRelease: () => page.keyboard.press('Escape'),
    })
    await expectBox(drawnId, box)
    expect(await apiCall(page, 'labels.history', {})).toEqual(history)
  })

  it('resizes the box by its bottom-right handle', async () => {
    const { page } = session
    const before = expected.get(drawnId)!.box
    const { scale } = await stageTransform(page)
    await dragImage(page, { x: before[2], y: before[3] }, { x: before[2] + 40 / scale, y: before[3] + 20 / scale })
    await expect.poll(async () => (await labelsOf(page, imageId)).labels.find((label) => label.id === drawnId)?.box[2]).not.toBe(before[2])
    const resized = (await labelsOf(page, imageId)).labels.find((label) => label.id === drawnId)!.box
    expect(resized[0]).toBe(before[0])
    expect(resized[1]).toBe(before[1])
    expect(resized[2] - before[2]).toBeCloseTo(40 / scale, 1)
    expect(resized[3] - before[3]).toBeCloseTo(20 / scale, 1)
    expected.set(drawnId, { ...expected.get(drawnId)!, box: resized })
  })

  it('relabels with a number key: 1 picks the first class of the list', async () => {
    const { page } = session
    expect(await selectedIds(page)).toEqual([drawnId])
    await page.keyboard.press('1')
    await expect.poll(async () => (await labelsOf(page, imageId)).labels.find((label) => label.id === drawnId)?.classId).toBe(classes[0]!.id)
    expected.set(drawnId, { ...expected.get(drawnId)!, classId: classes[0]!.id })
  })

  it('deletes a model label picked in the object list', async () => {
    const { page } = session
    const victim = initial[0]
    expect(victim, 'the run gave this image at least one label').toBeDefined()
    await clickObjectRow(page, victim!.id)
    expect(await selectedIds(page)).toEqual([victim!.id])
    await page.keyboard.press('Delete')
    await expectLabelCount(page, expected.size - 1)
    expected.delete(victim!.id)
  })

  it('accepts a suggestion with a click and Enter; it keeps its detection id and score', async () => {
    const { page } = session
    const { labels, suggestions } = await labelsOf(page, imageId)
    const free = suggestions.find((suggestion) => {
      const point = centre(suggestion.box)
      const inside = (box: Box) => point.x >= box[0] - 2 && point.x <= box[2] + 2 && point.y >= box[1] - 2 && point.y <= box[3] + 2
      const smaller = suggestions.filter((other) => other.id !== suggestion.id && inside(other.box))
      return !labels.some((label) => inside(label.box)) && smaller.every((other) => (other.box[2] - other.box[0]) * (other.box[3] - other.box[1]) > (suggestion.box[2] - suggestion.box[0]) * (suggestion.box[3] - suggestion.box[1]))
    })
    expect(free, 'a suggestion lies clear of every label').toBeDefined()
    acceptedDetection = free!
    await clickImage(page, centre(free!.box).x, centre(free!.box).y)
    await expect.poll(() => stage(page).getAttribute('data-selected-suggestion')).toBe(String(free!.id))
    await page.keyboard.press('Enter')
    await expectLabelCount(page, expected.size + 1)
    const accepted = (await labelsOf(page, imageId)).labels.find((label) => label.detectionId === free!.id)!
    expect(accepted).toMatchObject({ origin: 'detection', classId: free!.classId, score: free!.score, box: free!.box })
    expected.set(accepted.id, { classId: free!.classId, box: free!.box, detectionId: free!.id })
  })

  it('undoes with Ctrl+Z and redoes with Ctrl+Shift+Z, the accepted label keeping its id', async () => {
    const { page } = session
    const acceptedId = [...expected.entries()].find(([, value]) => value.detectionId === acceptedDetection.id)![0]
    await page.keyboard.press('Control+z')
    await expectLabelCount(page, expected.size - 1)
    expect((await labelsOf(page, imageId)).labels.some((label) => label.id === acceptedId)).toBe(false)
    await page.keyboard.press('Control+Shift+z')
    await expectLabelCount(page, expected.size)
    expect((await labelsOf(page, imageId)).labels.some((label) => label.id === acceptedId)).toBe(true)
  })

  it('reaches a suggestion with S (nested ones too), accepts it with Enter and resizes it with Alt/Ctrl+arrows, no pointer', async () => {
    const { page } = session
    const { suggestions } = await labelsOf(page, imageId)
    expect(suggestions.length, 'the image still has suggestions').toBeGreaterThan(0)
    await page.keyboard.press('s')
    await expect.poll(() => stage(page).getAttribute('data-selected-suggestion')).not.toBeNull()
    const chosenId = Number(await stage(page).getAttribute('data-selected-suggestion'))
    const chosen = suggestions.find((suggestion) => suggestion.id === chosenId)!
    expect(chosen, 'S selects a suggestion of this image').toBeDefined()
    await page.keyboard.press('Enter')
    await expectLabelCount(page, expected.size + 1)
    const accepted = (await labelsOf(page, imageId)).labels.find((label) => label.detectionId === chosenId)!
    expect(await selectedIds(page)).toEqual([accepted.id])
    // Ctrl+Shift+→ pulls the right side 10 px in, Alt+→ pushes it 1 px out again, Ctrl+↑ pulls the top 1 px in.
    const [x1, y1, x2, y2] = chosen.box
    expect(x2 - x1, 'the box is wide enough to shrink').toBeGreaterThan(12)
    expect(y2 - y1, 'the box is tall enough to shrink').toBeGreaterThan(2)
    await page.keyboard.press('Control+Shift+ArrowRight')
    await page.keyboard.press('Alt+ArrowRight')
    await page.keyboard.press('Control+ArrowUp')
    const want: Box = [x1, y1 + 1, x2 - 9, y2]
    await expect.poll(async () => (await labelsOf(page, imageId)).labels.find((label) => label.id === accepted.id)?.box).toEqual(want)
    expected.set(accepted.id, { classId: chosen.classId, box: want, detectionId: chosenId })
  })

  it('draws in three keys once a class is chosen: 3, W, drag; the next digit is for the next box', async () => {
    const { page } = session
    const drawWith = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
      const before = (await labelsOf(page, imageId)).labels.map((label) => label.id)
      await page.keyboard.press('w')
      await dragImage(page, from, to)
      await expectLabelCount(page, before.length + 1)
      return (await labelsOf(page, imageId)).labels.find((label) => !before.includes(label.id))!
    }
    // Nothing selected, so the digit only chooses the class (Esc clears the accepted box's selection).
    await page.keyboard.press('Escape')
    await expect.poll(() => selectedIds(page)).toEqual([])
    await page.keyboard.press('3')
    const first = await drawWith({ x: 100, y: 20 }, { x: 140, y: 60 })
    expect(first.classId).toBe(classes[2]!.id)
    expect(await byTestId(page, 'class-picker').count()).toBe(0)
    // Meant for the next box: the one just drawn keeps its class.
    await page.keyboard.press('4')
    const second = await drawWith({ x: 150, y: 20 }, { x: 190, y: 60 })
    expect(second.classId).toBe(classes[3]!.id)
    expect((await labelsOf(page, imageId)).labels.find((label) => label.id === first.id)?.classId).toBe(classes[2]!.id)
    expect(await byTestId(page, 'class-picker').count()).toBe(0)
    for (const drawn of [first, second]) expected.set(drawn.id, { classId: drawn.classId, box: drawn.box, detectionId: null })
  })

  it('marks the image reviewed with Space, which opens the next image', async () => {
    const { page } = session
    // The README's picture: suggestions from 0.3 up, the drawn box selected with its handles.
    await setScoreThreshold(page, 0.3)
    await clickObjectRow(page, drawnId)
    await expect.poll(() => selectedIds(page)).toEqual([drawnId])
    const picture = await page.screenshot(SCREENSHOT ? { path: SCREENSHOT } : {})
    expect(picture.length).toBeGreaterThan(0)
    await page.keyboard.press('Space')
    await expect.poll(() => shownImageId(page)).not.toBe(imageId)
    await expect.poll(async () => (await labelsOf(page, imageId)).status).toBe('reviewed')
  })

  it('after a reload shows the same labels, and undo is still offered', async () => {
    const { page } = session
    await page.reload()
    await byTestId(page, 'project-view').waitFor()
    await page.locator(`[data-testid="image-tile"][title="${folder.readable[0]}"]`).click()
    await byTestId(page, 'image-view').waitFor()
    await expectLabelCount(page, expected.size)
    await expect.poll(() => byTestId(page, 'undo').isEnabled()).toBe(true)
    expect(await byTestId(page, 'review-toggle').getAttribute('data-reviewed')).toBe('true')
  })

  it('gives the keys back to the viewer from a slider, and never takes them from a text field', async () => {
    const { page } = session
    await byTestId(page, 'suggestion-threshold').focus()
    await page.keyboard.press('d')
    await expect.poll(() => shownImageId(page)).not.toBe(imageId)
    // A double-click on "Mark reviewed" marks the image once; it does not unmark it again.
    const toggle = byTestId(page, 'review-toggle')
    await expect.poll(() => toggle.getAttribute('data-reviewed')).toBe('false')
    await toggle.dblclick()
    await expect.poll(() => toggle.getAttribute('data-reviewed')).toBe('true')
    await toggle.click()
    await expect.poll(() => toggle.getAttribute('data-reviewed')).toBe('false')
    await page.keyboard.press('a')
    await expect.poll(() => shownImageId(page)).toBe(imageId)
    await page.keyboard.press('?')
    await byTestId(page, 'shortcuts').waitFor()
    expect(await byTestId(page, 'shortcuts').innerText()).toContain('Ctrl+Shift+Z')
    await page.keyboard.press('Escape')
    await expect.poll(() => byTestId(page, 'shortcuts').count()).toBe(0)
    await clickObjectRow(page, drawnId)
    await page.keyboard.press('e')
    await byTestId(page, 'class-picker-search').waitFor()
    // Typing a class name: D, A and digits are text here, not shortcuts.
    await page.keyboard.type('d1a')
    expect(await shownImageId(page)).toBe(imageId)
    expect((await labelsOf(page, imageId)).labels.find((label) => label.id === drawnId)?.classId).toBe(expected.get(drawnId)!.classId)
    await page.keyboard.press('Escape')
    await expect.poll(() => byTestId(page, 'class-picker').count()).toBe(0)
  })

  it('shows an edit made in one window in another window on the same image', async () => {
    const { page } = session
    const other = await session.context.newPage()
    try {
      await other.goto(page.url())
      await byTestId(other, 'project-view').waitFor()
      await other.locator(`[data-testid="image-tile"][title="${folder.readable[0]}"]`).click()
      await expectLabelCount(other, expected.size)
      await clickObjectRow(page, drawnId)
      await page.keyboard.press('Control+d')
      await expectLabelCount(page, expected.size + 1)
      const [copyId] = await selectedIds(page)
      expect(copyId).not.toBe(drawnId)
      // The other window was not touched: the labels.changed event brought the copy.
      await expectLabelCount(other, expected.size + 1)
      const copy = (await labelsOf(page, imageId)).labels.find((label) => label.id === copyId)!
      const original = expected.get(drawnId)!
      expect(copy.box).toEqual([original.box[0] + 10, original.box[1] + 10, original.box[2] + 10, original.box[3] + 10])
      expected.set(copyId!, { classId: original.classId, box: copy.box, detectionId: null })
    } finally {
      await other.close()
    }
  })

  it('wrote exactly those labels and that edit log to the project file', () => {
    const db = new Database(projectFile(), { readonly: true, fileMustExist: true })
    try {
      const rows = db
        .prepare('SELECT id, class_id, x1, y1, x2, y2, origin, detection_id FROM annotations WHERE image_id = ? AND deleted_at IS NULL ORDER BY id')
        .all(imageId) as LabelRow[]
      expect(rows.map((row) => row.id)).toEqual([...expected.keys()].sort((a, b) => a - b))
      for (const row of rows) {
        const want = expected.get(row.id)!
        expect({ classId: row.class_id, box: [row.x1, row.y1, row.x2, row.y2], detectionId: row.detection_id }).toEqual(want)
      }
      const status = db.prepare('SELECT status FROM images WHERE id = ?').get(imageId) as { status: string }
      expect(status.status).toBe('reviewed')
      const gestures = db.prepare('SELECT command, undone FROM edit_gestures WHERE image_id = ? ORDER BY id').all(imageId) as { command: string; undone: number }[]
      expect(gestures.filter((gesture) => gesture.undone === 0).map((gesture) => gesture.command)).toEqual([
        'draw',
        'relabel',
        'move',
        'resize',
        'relabel',
        'delete',
        'accept-suggestion',
        'accept-suggestion',
        'resize',
        'resize',
        'resize',
        'draw',
        'draw',
        'duplicate',
      ])
    } finally {
      db.close()
    }
  })

  it('met no script errors on the way', () => {
    expect(session.problems.filter((problem) => problem.startsWith('page error'))).toEqual([])
  })
})
