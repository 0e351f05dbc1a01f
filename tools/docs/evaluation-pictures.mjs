// The README's pictures of the evaluation view, made the way a user would get there: the
// bundled samples in two folders, detection with the bundled model, the samples' ground truth
// imported as reviewed labels, a second run to compare, then the view in Chromium.
//   npm run build:renderer && node tools/docs/evaluation-pictures.mjs
// Needs Chromium (/usr/bin/chromium, or CHROMIUM=/path). Writes docs/evaluation.png and
// docs/evaluation-highlights.png.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const root = resolve(import.meta.dirname, '..', '..')
const samples = join(root, 'resources', 'samples')
const work = mkdtempSync(join(tmpdir(), 'rw-pictures-'))
const project = join(work, 'samples.rwproj')

function cli(...args) {
  const result = spawnSync('npm', ['run', '-s', 'cli', '--', ...args], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`cli ${args.join(' ')} failed:\n${result.stderr}`)
}

for (let index = 1; index <= 13; index++) {
  const name = `shapes-${String(index).padStart(2, '0')}.jpg`
  const folder = join(work, 'images', index <= 8 ? 'train' : 'val')
  mkdirSync(folder, { recursive: true })
  copyFileSync(join(samples, name), join(folder, name))
}
cli('project', 'create', project, join(work, 'images'))
cli('project', 'detect', project)
cli('project', 'import', project, join(samples, 'ground-truth.json'), '--format', 'coco', '--replace', '--reviewed')
cli('project', 'detect', project, '--all', '--score', '0.1')

const server = spawn('npm', ['run', '-s', 'serve', '--', '--port', '0', '--user-data', join(work, 'user-data')], { cwd: root, detached: true })
const url = await new Promise((resolveUrl, reject) => {
  let output = ''
  server.stdout.on('data', (chunk) => {
    output += chunk
    const found = output.match(/https?:\/\/\S+/)
    if (found) resolveUrl(found[0])
  })
  server.on('exit', (code) => reject(new Error(`serve stopped (${code}): ${output}`)))
})

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
})
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.goto(url)
  await page.getByTestId('start-view').waitFor()
  await page.evaluate(async (file) => {
    await fetch('/api/project.open', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ projectFile: file }) })
  }, project)
  await page.getByTestId('open-evaluation').click()
  await page.getByTestId('evaluation-summary').waitFor()
  await page.getByTestId('evaluation-run').selectOption('2')
  await page.getByTestId('evaluation-compare').selectOption('1')
  await page.getByTestId('evaluation-summary-compared').first().waitFor()
  await page.waitForTimeout(500)
  await page.screenshot({ path: join(root, 'docs', 'evaluation.png') })
  // Labels of one class nothing found: the "missed" column of its row.
  const columns = await page.locator('[data-testid="confusion-cell"][data-row="0"]').count()
  await page.locator(`[data-testid="confusion-cell"][data-row="2"][data-column="${columns - 1}"]`).click()
  await page.getByTestId('evaluation-image').first().click()
  await page.getByTestId('evaluation-bar').waitFor()
  await page.waitForTimeout(1500)
  await page.screenshot({ path: join(root, 'docs', 'evaluation-highlights.png') })
} finally {
  await browser.close()
  process.kill(-server.pid)
  rmSync(work, { recursive: true, force: true })
}
console.log('wrote docs/evaluation.png and docs/evaluation-highlights.png')
