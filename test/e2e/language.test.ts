/**
 * The workbench speaks the browser's language (Simplified Chinese for a Chinese system) until
 * the person picks another in the language switch; the choice is remembered across reloads,
 * and switching in a project keeps the project open where it was.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { createImageFolder, type GeneratedImageFolder } from '../helpers/image-folder'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { dragImage, expectLabelCount, selectedIds } from './editor-page'
import { byTestId, createProject, imageCount, stage } from './workbench-page'

describe('language', () => {
  let workDir: string
  let folder: GeneratedImageFolder
  let app: ServedApp
  let session: BrowserSession

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-language-'))
    folder = await createImageFolder(join(workDir, '街景'))
    const userDataDir = join(workDir, 'user-data')
    await mkdir(userDataDir)
    app = await serveApp({ userDataDir })
    session = await launchBrowser({ width: 1280, height: 720 }, { locale: 'zh-CN' })
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
  })

  /** Kept where RW_SCREENSHOT_DIR says, to be looked at; taken only then. */
  async function screenshot(name: string): Promise<void> {
    const into = process.env.RW_SCREENSHOT_DIR
    if (into) await session.page.screenshot({ path: join(into, `${name}.png`) })
  }

  afterAll(async () => {
    await session?.close()
    await app?.stop()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  it('starts in Simplified Chinese on a Chinese system, with the page marked as Chinese', async () => {
    const { page } = session
    await expect.poll(() => page.locator('.start-tagline').innerText()).toBe('用 RetinaNet 为图像文件夹预标注，逐框审核，导出用于训练。')
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    expect(await byTestId(page, 'new-project-create').innerText()).toBe('创建项目')
    expect(await byTestId(page, 'recent-empty').innerText()).toBe('尚未打开过项目。')
    expect(await byTestId(page, 'language-switch').inputValue()).toBe('zh-CN')
    await screenshot('start-zh-CN')
  })

  it('switches to English at once and remembers the choice after a reload', async () => {
    const { page } = session
    await byTestId(page, 'language-switch').selectOption('en')
    await expect.poll(() => byTestId(page, 'new-project-create').innerText()).toBe('Create project')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    await page.reload()
    await byTestId(page, 'start-view').waitFor()
    expect(await byTestId(page, 'new-project-create').innerText()).toBe('Create project')
    expect(await byTestId(page, 'language-switch').inputValue()).toBe('en')
  })

  it('switches language inside a project without leaving it', async () => {
    const { page } = session
    await createProject(page, folder.root)
    const count = await imageCount(page)
    await byTestId(page, 'language-switch').selectOption('zh-CN')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await byTestId(page, 'project-view').waitFor()
    expect(await imageCount(page)).toBe(count)
    expect(await byTestId(page, 'project-name').innerText()).toBe('街景')
    expect(await byTestId(page, 'close-project').innerText()).toBe('关闭项目')
    expect(session.problems).toEqual([])
  })

  it('runs detection in Chinese: the toolbar, the runs panel and its figures', async () => {
    const { page } = session
    expect(await byTestId(page, 'run-start').innerText()).toBe('运行检测')
    await byTestId(page, 'run-start').click()
    await expect.poll(() => byTestId(page, 'run-progress').getAttribute('data-state'), { timeout: 60_000 }).toBe('done')
    expect(await page.locator('.runs-panel h2').innerText()).toBe('检测')
    expect(await byTestId(page, 'run-speed').innerText()).toMatch(/^[\d.]+ 张图像\/秒$/)
    expect(await byTestId(page, 'review-counter').innerText()).toMatch(/^已审核 0 \/ \d+$/)
    // Why the GPU was not used, from the run's record, in Chinese (this machine has no CUDA build, and no GPU).
    const reasons = byTestId(page, 'run-provider-reason')
    if ((await reasons.count()) > 0) {
      await reasons.locator('summary').click()
      for (const reason of await byTestId(page, 'run-provider-skipped').allInnerTexts()) expect(reason).toMatch(/^(CUDA|WebGPU): .*[\u4e00-\u9fff]/)
    }
    await screenshot('project-zh-CN')
    expect(session.problems).toEqual([])
  })

  it('shows the export and import dialogs in Chinese, with counts worded for the language', async () => {
    const { page } = session
    await byTestId(page, 'export-labels').click()
    await expect.poll(() => page.locator('#export-title').innerText()).toBe('导出标注')
    await expect.poll(() => byTestId(page, 'export-plan').innerText()).toMatch(/^将导出 \d+ 张图像.* 和 \d+ 个标注/)
    await screenshot('export-zh-CN')
    await page.keyboard.press('Escape')
    await byTestId(page, 'import-labels').click()
    await expect.poll(() => page.locator('#import-title').innerText()).toBe('导入标注')
    expect(await byTestId(page, 'import-check').innerText()).toBe('检查')
    // What the main process says about the file comes in Chinese too: a refusal, then an item left out.
    await byTestId(page, 'import-input').fill(join(workDir, 'nowhere.json'))
    await byTestId(page, 'import-check').click()
    await expect.poll(() => byTestId(page, 'import-error').innerText()).toBe(`${join(workDir, 'nowhere.json')} 处没有可导入的内容。`)
    const coco = join(workDir, 'labels.json')
    await writeFile(coco, JSON.stringify({
      images: [{ id: 1, file_name: 'elsewhere.png', width: 10, height: 10 }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 4, 4] }],
      categories: [{ id: 1, name: 'cat' }],
    }))
    await byTestId(page, 'import-input').fill(coco)
    await byTestId(page, 'import-check').click()
    const problems = byTestId(page, 'import-problems')
    await problems.locator('summary').click()
    await expect.poll(() => problems.locator('li').first().innerText()).toBe('labels.json (elsewhere.png): 没有与“elsewhere.png”匹配的项目图像；其中的 1 个框未导入')
    await screenshot('import-problems-zh-CN')
    await page.keyboard.press('Escape')
    expect(session.problems).toEqual([])
  })

  it('shows the image toolbar and the ? shortcut sheet in Chinese, the sheet from the same command registry', async () => {
    const { page } = session
    await byTestId(page, 'image-tile').first().click()
    await byTestId(page, 'image-view').waitFor()
    expect(await byTestId(page, 'review-toggle').innerText()).toBe('标记为已审核')
    expect(await byTestId(page, 'back-to-grid').innerText()).toBe('← 网格')
    await page.keyboard.press('?')
    const sheet = byTestId(page, 'shortcuts')
    await sheet.waitFor()
    expect(await sheet.locator('header strong').innerText()).toBe('快捷键')
    expect(await sheet.innerText()).toContain('撤销上一次更改（会转到被更改的图像）')
    await screenshot('shortcuts-zh-CN')
    await page.keyboard.press('Escape')
    expect(session.problems).toEqual([])
  })

  it('runs a correction session in Chinese: a Chinese class, drawing, the picker, messages, undo and review', async () => {
    const { page } = session
    expect(await page.locator('.classes-header h2').innerText()).toBe('类别')
    await expect.poll(() => byTestId(page, 'image-label-count').innerText()).toMatch(/^此图像上有 \d+ 个标注/)
    await byTestId(page, 'class-add-name').fill('行人')
    await byTestId(page, 'class-add-name').press('Enter')
    await expect.poll(() => page.locator('[data-testid="class-row"][data-class-name="行人"]').count()).toBe(1)

    const before = Number(await stage(page).getAttribute('data-labels'))
    await page.keyboard.press('w')
    await dragImage(page, { x: 20, y: 20 }, { x: 90, y: 70 })
    const picker = byTestId(page, 'class-picker')
    await picker.waitFor()
    expect(await picker.getAttribute('aria-label')).toBe('选择类别')
    expect(await picker.locator('.hint').first().innerText()).toBe('1 个框 · 1–9 或 Enter 选择 · Esc 关闭')
    await page.keyboard.type('行人')
    await page.keyboard.press('Enter')
    await picker.waitFor({ state: 'detached' })
    await expectLabelCount(page, before + 1)
    const drawn = await selectedIds(page)
    expect(drawn).toHaveLength(1)
    const row = page.locator(`[data-testid="object-row"][data-label-id="${drawn[0]}"]`)
    expect(await row.innerText()).toMatch(/行人\s+手动/)
    await screenshot('editor-zh-CN')

    // A key with nothing to do says so in Chinese.
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+v')
    await expect.poll(() => byTestId(page, 'editor-message').innerText()).toBe('没有可粘贴的内容：请先选择框并按 Ctrl+C。')

    // Switching language in the editor keeps the image, the selection and the undo history.
    await page.locator(`[data-testid="object-row"][data-label-id="${drawn[0]}"]`).click()
    expect(await selectedIds(page)).toEqual(drawn)
    const imageId = await stage(page).getAttribute('data-image-id')
    await byTestId(page, 'language-switch').selectOption('en')
    await expect.poll(() => byTestId(page, 'review-toggle').innerText()).toBe('Mark reviewed')
    expect(await stage(page).getAttribute('data-image-id')).toBe(imageId)
    expect(await selectedIds(page)).toEqual(drawn)
    // Two steps to undo: the class chosen in the picker, then the drawing.
    await page.keyboard.press('Control+z')
    await expect.poll(() => row.innerText()).not.toMatch(/行人/)
    await page.keyboard.press('Control+z')
    await expectLabelCount(page, before)
    await byTestId(page, 'language-switch').selectOption('zh-CN')
    await expect.poll(() => byTestId(page, 'review-toggle').innerText()).toBe('标记为已审核')
    await page.keyboard.press('Control+Shift+z')
    await expectLabelCount(page, before + 1)
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(() => row.innerText()).toMatch(/行人\s+手动/)
    await page.keyboard.press('u')
    await expect.poll(() => byTestId(page, 'review-toggle').innerText()).toBe('✓ 已审核')
    expect(session.problems).toEqual([])
  })
})
