import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/** Debian's Chromium; playwright-core never downloads a browser of its own here. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export interface BrowserSession {
  browser: Browser
  context: BrowserContext
  page: Page
  /** Console errors, uncaught exceptions and failed requests seen by the page, in order. */
  problems: string[]
  close(): Promise<void>
}

/** `locale`: the browser's language (navigator.languages), as the operating system would set it. */
export async function launchBrowser(viewport = { width: 1280, height: 800 }, options: { locale?: string } = {}): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  const context = await browser.newContext({ viewport, ...(options.locale ? { locale: options.locale } : {}) })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  return {
    browser,
    context,
    page,
    problems,
    async close() {
      await browser.close()
    },
  }
}
