import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EditHistoryState, Label } from '../../src-shared/api/label-types'
import type { ProjectClass } from '../../src-shared/api/types'
import { type BrowserSession, launchBrowser } from '../helpers/browser'
import { type ServedApp, serveApp } from '../helpers/serve-app'
import { createDetectionFolder, type DetectionFolder } from './detection-page'
import { apiCall, clickObjectRow, expectLabelCount, labelsOf, selectedIds, shownImageId } from './editor-page'
import { byTestId, createProject } from './workbench-page'

/**
 * Two browser tabs on one `serve` instance and one project, as a labeler with two windows
 * has them (issue 19): each tab undoes only its own edits, and a box one tab deletes while
 * the other has it selected leaves the other's arrow keys on the same image.
 */
describe('two windows on one project', () => {
  let workDir: string
  let folder: DetectionFolder
  let app: ServedApp
  let session: BrowserSession
  let tabA: Page
  let tabB: Page
  let imageId: number
  let first: Label
  let second: Label

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-two-windows-'))
    folder = await createDetectionFolder(join(workDir, 'shapes'))
    app = await serveApp()
    session = await launchBrowser()
    tabA = session.page
  })

  afterAll(async () => {
    for (const page of [tabA, tabB]) await page?.goto('about:blank')
    await session?.close()
    await app?.stop()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  async function openFirstImage(page: Page): Promise<void> {
    await page.locator(`[data-testid="image-tile"][title="${folder.readable[0]}"]`).click()
    await page.locator('[data-testid="image-stage"][data-image-width]').waitFor()
  }

  /** The editor identity the tab keeps in its sessionStorage (see editor-identity.ts). */
  function storedEditorId(page: Page): Promise<string | null> {
    return page.evaluate(() => (globalThis as { sessionStorage?: { getItem(key: string): string | null } }).sessionStorage?.getItem('rw.editor-id') ?? null)
  }

  async function boxOf(labelId: number): Promise<Label['box'] | undefined> {
    return (await labelsOf(tabA, imageId)).labels.find((label) => label.id === labelId)?.box
  }

  it('opens one image in two tabs', { timeout: 90_000 }, async () => {
    await tabA.goto(app.url)
    await createProject(tabA, folder.root)
    // Two boxes made before either tab edits (no window: either tab may undo them).
    const classId = (await apiCall<ProjectClass>(tabA, 'classes.create', { name: 'shape' })).id
    await openFirstImage(tabA)
    imageId = await shownImageId(tabA)
    await apiCall(tabA, 'labels.edit', {
      imageId,
      command: 'draw',
      changes: [
        { op: 'create', classId, box: [20, 20, 60, 60] },
        { op: 'create', classId, box: [80, 20, 120, 60] },
      ],
    })
    ;[first, second] = (await labelsOf(tabA, imageId)).labels as [Label, Label]
    await expectLabelCount(tabA, 2)
    // The second tab shares the first's sign-in (one browser profile) but has its own sessionStorage.
    tabB = await session.context.newPage()
    tabB.on('pageerror', (error) => session.problems.push(`page error (second tab): ${error.message}`))
    await tabB.goto(app.url)
    await byTestId(tabB, 'project-view').waitFor()
    await openFirstImage(tabB)
    await expectLabelCount(tabB, 2)
  })

  it("keeps the other tab's Shift+→ a nudge when the box it had selected is deleted in this tab", async () => {
    await tabB.bringToFront()
    await clickObjectRow(tabB, first.id)
    await tabB.keyboard.press('Shift+ArrowRight')
    await expect.poll(() => boxOf(first.id)).toEqual([30, 20, 70, 60])

    await tabA.bringToFront()
    await clickObjectRow(tabA, first.id)
    await tabA.keyboard.press('Delete')
    await expectLabelCount(tabA, 1)

    // Tab B hears of it: the box goes, and so does the selection of it.
    await tabB.bringToFront()
    await expectLabelCount(tabB, 1)
    await expect.poll(() => selectedIds(tabB)).toEqual([])
    await tabB.keyboard.press('Shift+ArrowRight')
    await tabB.keyboard.press('ArrowRight')
    await expect.poll(() => byTestId(tabB, 'editor-message').innerText()).toMatch(/deleted in another window/)
    expect(await shownImageId(tabB)).toBe(imageId)
    expect(await boxOf(second.id)).toEqual(second.box)
  })

  it("undoes in each tab only that tab's own edits, refusing one the other tab has overwritten", async () => {
    // Tab B's last edit is the nudge of the box tab A then deleted: its Ctrl+Z must not bring
    // the box back (that would undo tab A's delete), nor move anything else.
    await tabB.keyboard.press('Control+z')
    await expect.poll(() => byTestId(tabB, 'notices').innerText()).toMatch(/another window changed label/)
    expect(await boxOf(first.id)).toBeUndefined()
    expect(await boxOf(second.id)).toEqual(second.box)

    // Tab A's Ctrl+Z undoes its own delete: the box comes back where tab B had nudged it.
    await tabA.bringToFront()
    await tabA.keyboard.press('Control+z')
    await expect.poll(() => boxOf(first.id)).toEqual([30, 20, 70, 60])
    await expectLabelCount(tabB, 2)
  })

  it('keeps undoing its own edits after a reload of the same tab', async () => {
    await clickObjectRow(tabA, second.id)
    await tabA.keyboard.press('ArrowDown')
    await expect.poll(() => boxOf(second.id)).toEqual([80, 21, 120, 61])
    const editorId = await storedEditorId(tabA)
    expect(editorId).toMatch(/^[0-9a-f]{32}$/)

    await tabA.reload()
    await byTestId(tabA, 'project-view').waitFor()
    expect(await storedEditorId(tabA)).toBe(editorId)
    expect(await storedEditorId(tabB)).not.toBe(editorId)
    const history = await apiCall<EditHistoryState>(tabA, 'labels.history', { editorId })
    expect(history.undo).toEqual({ command: 'nudge', imageId })
    await openFirstImage(tabA)
    await tabA.keyboard.press('Control+z')
    await expect.poll(() => boxOf(second.id)).toEqual(second.box)
    // The folder's truncated image answers its thumbnail with an error status; no script failed.
    expect(session.problems.filter((problem) => problem.startsWith('page error'))).toEqual([])
  })
})
