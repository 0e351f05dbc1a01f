import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type BrowserSession } from '../helpers/browser'
import { serveApp, type ServedApp } from '../helpers/serve-app'
import { createDetectionFolder, runEndedAs, TINY_MODEL, type DetectionFolder } from './detection-page'
import { byTestId, createProject } from './workbench-page'

/**
 * Issue 19, item 7: a detection run started in one project and the project switched at once.
 * The other project shows none of the run and no error; the first keeps the run and resumes it.
 */

/** A CPU run over a few dozen small images; generous because the machine may be busy. */
const RUN_TIMEOUT_MS = 120_000

interface HistoryEntry {
  runId: number
  state: string
}

async function runHistory(page: Page): Promise<HistoryEntry[]> {
  return page.locator('[data-testid="run-history-entry"]').evaluateAll((elements: { getAttribute(name: string): string | null }[]) =>
    elements.map((element) => ({ runId: Number(element.getAttribute('data-run-id')), state: element.getAttribute('data-state') ?? '' })),
  )
}

async function openRecent(page: Page, folder: DetectionFolder): Promise<void> {
  await byTestId(page, 'start-view').waitFor()
  await page.locator(`[data-testid="recent-project"][data-file^="${folder.root}/"]`).click()
  await expect.poll(() => byTestId(page, 'project-name').innerText()).toBe(folder.root.split('/').at(-1))
}

async function errorsShown(page: Page): Promise<string[]> {
  return byTestId(page, 'error-message').allInnerTexts()
}

describe('a detection run stays with the project it was started in', () => {
  let workDir: string
  let app: ServedApp | undefined
  let session: BrowserSession | undefined
  /** Started in, and switched away from at once. */
  let first: DetectionFolder
  /** Switched to. */
  let second: DetectionFolder

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'rw-e2e-run-switch-'))
    first = await createDetectionFolder(join(workDir, 'first-shapes'), 10)
    second = await createDetectionFolder(join(workDir, 'second-shapes'))
    app = await serveApp({ extraArgs: ['--model', TINY_MODEL] })
    session = await launchBrowser()
    await session.page.goto(app.url)
    await byTestId(session.page, 'start-view').waitFor()
  })

  afterAll(async () => {
    // Leave the page first, so its event stream does not log reconnection failures.
    await session?.page.goto('about:blank')
    await session?.close()
    await app?.stop()
    await rm(workDir, { recursive: true, force: true })
  })

  it('gives the second project a finished run of its own, so its run ids differ from the first project’s', { timeout: RUN_TIMEOUT_MS }, async () => {
    const { page } = session!
    await createProject(page, second.root)
    await byTestId(page, 'run-start').click()
    await runEndedAs(page, 'done', RUN_TIMEOUT_MS)
    expect(await runHistory(page)).toEqual([{ runId: 1, state: 'done' }])
    await byTestId(page, 'close-project').click()
    await byTestId(page, 'start-view').waitFor()
  })

  it('shows none of the first project’s run, and no error, after switching away as it starts', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const { page } = session!
    await createProject(page, first.root, 60_000)
    await byTestId(page, 'runs-empty').waitFor()
    await byTestId(page, 'run-start').click()
    await byTestId(page, 'close-project').click()
    await openRecent(page, second)

    // A run of this project starts only once the first project's run has ended, and events
    // arrive in order: once this run is done, every event of the other run has arrived too.
    await byTestId(page, 'run-scope').selectOption('all')
    await byTestId(page, 'run-start').click()
    const figures = await runEndedAs(page, 'done', RUN_TIMEOUT_MS)
    expect(figures.runId).toBe(2)
    expect(figures.total).toBe(second.readable.length + 1)
    expect(await runHistory(page)).toEqual([
      { runId: 2, state: 'done' },
      { runId: 1, state: 'done' },
    ])
    expect(await byTestId(page, 'run-resume').count()).toBe(0)
    expect(await errorsShown(page)).toEqual([])
  })

  it('keeps the run in the first project, which resumes it to the end if it was cancelled', { timeout: RUN_TIMEOUT_MS * 2 }, async () => {
    const { page } = session!
    await byTestId(page, 'close-project').click()
    await openRecent(page, first)
    await expect.poll(() => runHistory(page)).toEqual([{ runId: 1, state: expect.stringMatching(/^(cancelled|done)$/) }])
    const [run] = await runHistory(page)
    if (run!.state === 'cancelled') {
      const resume = byTestId(page, 'run-resume')
      expect(await resume.innerText()).toBe('Resume run 1')
      await resume.click()
      await runEndedAs(page, 'done', RUN_TIMEOUT_MS * 2)
      expect(await runHistory(page)).toEqual([{ runId: 1, state: 'done' }])
    }
    expect(await errorsShown(page)).toEqual([])
  })

  it('met no script errors on the way', () => {
    expect(session!.problems.filter((problem) => problem.startsWith('page error'))).toEqual([])
  })
})
