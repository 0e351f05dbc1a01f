/** The export and import dialogs in a browser: labels exported with the report shown, and imported after a preview. */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { createLabelledProject, type LabelledProject } from '../integration/formats/labelled-project'
import { byTestId } from './workbench-page'

describe('label export and import dialogs', () => {
  let workDir: string
  let source: LabelledProject
  let app: ServedApp
  let session: BrowserSession

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-export-'))
    source = await createLabelledProject(workDir)
    source.project.close()
    const userDataDir = join(workDir, 'user-data')
    await mkdir(userDataDir)
    app = await serveApp({ userDataDir })
    session = await launchBrowser()
    await session.page.goto(app.url)
    await byTestId(session.page, 'open-project-file').fill(source.project.file)
    await byTestId(session.page, 'open-project-open').click()
    await byTestId(session.page, 'project-view').waitFor()
  })

  afterAll(async () => {
    await session?.close()
    await app?.stop()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  it('exports YOLO with negatives and shows what it wrote, warning about EXIF-oriented images', async () => {
    const { page } = session
    const out = join(workDir, 'yolo-from-ui')
    await byTestId(page, 'export-labels').click()
    await byTestId(page, 'export-format').selectOption('yolo')
    await byTestId(page, 'export-folder').fill(out)
    await byTestId(page, 'export-include-empty').check()
    await byTestId(page, 'export-split').fill('train=0.8,val=0.2')
    // Said before exporting, and what the export then writes.
    await expect.poll(() => byTestId(page, 'export-plan').getAttribute('data-images')).toBe(String(source.reviewed.size))
    if (process.env.RW_SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.RW_SCREENSHOT_DIR, 'export-dialog.png') })
    await byTestId(page, 'export-start').click()
    const result = byTestId(page, 'export-result')
    await result.waitFor()
    expect(await result.getAttribute('data-state')).toBe('done')
    expect(Number(await result.getAttribute('data-images'))).toBe(source.reviewed.size)
    expect(await byTestId(page, 'export-oriented').innerText()).toMatch(/rotated\/portrait-(six|eight)\.jpg/)
    // YOLO links its images by default: Ultralytics finds labels from image paths.
    expect((await readdir(out)).sort()).toEqual(['classes.txt', 'data.yaml', 'images', 'labels'])

    // The same folder again: refused, with the reason shown in the dialog.
    await byTestId(page, 'export-start').click()
    await byTestId(page, 'export-error').waitFor()
    expect(await byTestId(page, 'export-error').innerText()).toMatch(/is not empty; an export never overwrites files/)
  })

  it('previews an import, asks before creating classes, then imports it', async () => {
    const { page } = session
    const file = join(workDir, 'extra.json')
    await writeFile(
      file,
      JSON.stringify({
        images: [{ id: 1, file_name: 'nested/theta.png' }],
        categories: [{ id: 1, name: 'okapi' }],
        annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 5, 5] }],
      }),
    )
    // Esc closes a dialog, as it does the class picker.
    await page.keyboard.press('Escape')
    await expect.poll(() => byTestId(page, 'export-dialog').count()).toBe(0)
    await byTestId(page, 'import-labels').click()
    await byTestId(page, 'import-input').fill(file)
    await byTestId(page, 'import-check').click()
    const preview = byTestId(page, 'import-preview')
    await preview.waitFor()
    expect(await preview.getAttribute('data-matched')).toBe('1')
    expect(await preview.getAttribute('data-labels')).toBe('1')
    expect(await byTestId(page, 'import-start').isDisabled()).toBe(true)
    await byTestId(page, 'import-confirm-classes').check()
    await byTestId(page, 'import-start').click()
    const outcome = byTestId(page, 'import-outcome')
    await outcome.waitFor()
    expect(await outcome.getAttribute('data-created')).toBe('1')
    expect(await outcome.innerText()).toMatch(/new classes okapi/)
  })
})
