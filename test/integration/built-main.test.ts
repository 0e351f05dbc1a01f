/**
 * The desktop app's main process as electron-vite builds it, checked without Electron: every
 * worker thread the built code starts must lie where that code looks for it, and a detection run
 * must work from the built files. A missing preparation or inference worker would otherwise go
 * unnoticed: the detector then does that work on its own thread, only slower.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DetectionRunSummary } from '../../src-main/core/jobs/detection-run-types'
import type { DetectionJobRequest, WorkerMessage } from '../../src-main/core/jobs/worker-protocol'
import { webGpuUnavailable } from '../helpers/webgpu'
import { createProjectFixture, fixtureModel, repoRoot, type ProjectFixture } from './jobs/project-fixture'

// Inside the repository, so that the built code finds node_modules as the app's build does.
const scratch = join(repoRoot, '.cache')
let buildRoot: string
let built: string
const webGpu = await webGpuUnavailable(fixtureModel)

beforeAll(() => {
  mkdirSync(scratch, { recursive: true })
  buildRoot = mkdtempSync(join(scratch, 'built-main-'))
  built = join(buildRoot, 'main')
  // The app's own configuration, its main section only, written elsewhere than out/main (which
  // a developer's `npm run build` owns).
  const config = join(buildRoot, 'electron.vite.config.ts')
  writeFileSync(
    config,
    `import app from '${relative(buildRoot, join(repoRoot, 'electron.vite.config')).replaceAll('\\', '/')}'\n` +
      `export default { main: { ...app.main, build: { ...app.main!.build, outDir: ${JSON.stringify(built)} } } }\n`,
  )
  const build = spawnSync(process.execPath, [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '-c', config, '--logLevel', 'error'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
  if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`)
}, 120_000)

afterAll(() => {
  if (buildRoot) rmSync(buildRoot, { recursive: true, force: true })
})

/** The worker entries the config builds: every rollup input but the app's own entry. */
function configuredWorkers(): string[] {
  const text = readFileSync(join(repoRoot, 'electron.vite.config.ts'), 'utf8')
  const main = text.slice(text.indexOf('main:'), text.indexOf('preload:'))
  return [...main.matchAll(/'([a-z-]+-worker)': resolve\(/g)].map((match) => match[1]!).sort()
}

interface WorkerReference {
  file: string
  name: string
  /** Where the referring code looks for `<name>.js`, relative to its own folder. */
  candidates: string[]
}

/** Every place in the built code that starts a worker entry by name, and where it looks. */
function workerReferences(): WorkerReference[] {
  const references: WorkerReference[] = []
  const files = readdirSync(built, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'))
  for (const file of files) {
    const text = readFileSync(join(built, file), 'utf8')
    // core/detect/worker-entry.ts: beside the module, or one folder up from a split chunk.
    for (const match of text.matchAll(/findWorkerEntry\(import\.meta\.url, "([a-z-]+)"\)/g)) {
      references.push({ file, name: match[1]!, candidates: [`./${match[1]}.js`, `../${match[1]}.js`] })
    }
    // core/jobs/start-worker.ts and the query workers (core/queries/query-worker.ts): beside it.
    for (const match of text.matchAll(/(?:startWorkerBeside\(import\.meta\.url, |fromModuleUrl: import\.meta\.url,\s*entry: )"([a-z-]+)"/g)) {
      references.push({ file, name: match[1]!, candidates: [`./${match[1]}.js`] })
    }
  }
  return references
}

describe('the built main process', () => {
  it('finds every worker entry it starts where it looks for it, and starts every one the build emits', () => {
    const references = workerReferences()
    expect([...new Set(references.map((reference) => reference.name))].sort()).toEqual(configuredWorkers())
    const lost = references.filter(({ file, candidates }) => !candidates.some((candidate) => existsSync(join(built, dirname(file), candidate))))
    expect(lost).toEqual([])
  })

  it('runs detection from the built worker files with the CPU provider', { timeout: 120_000 }, async () => {
    await withProject(async (fixture) => {
      const summary = await runBuiltDetectionWorker({ kind: 'start', projectFile: fixture.projectFile, settings: { modelPath: fixtureModel, provider: 'cpu' } })
      expect(summary).toMatchObject({ state: 'done', total: 3, processed: 3, errors: 0, providerUsed: 'cpu' })
      expect(summary.detections).toBeGreaterThan(0)
    })
  })

  it.skipIf(webGpu !== null)(
    `runs detection from the built files on WebGPU, its graph on the built inference thread${webGpu ? ` (skipped: ${webGpu})` : ''}`,
    { timeout: 300_000 },
    async () => {
      await withProject(async (fixture) => {
        const summary = await runBuiltDetectionWorker({ kind: 'start', projectFile: fixture.projectFile, settings: { modelPath: fixtureModel, provider: 'webgpu' } })
        expect(summary).toMatchObject({ state: 'done', total: 3, processed: 3, errors: 0, providerUsed: 'webgpu' })
        expect(summary.detections).toBeGreaterThan(0)
      })
    },
  )
})

async function withProject(use: (fixture: ProjectFixture) => Promise<void>): Promise<void> {
  const fixture = await createProjectFixture(3)
  try {
    await use(fixture)
  } finally {
    rmSync(fixture.dir, { recursive: true, force: true })
  }
}

/** The built detection worker, started and answered as core/jobs/run-in-worker.ts does. */
function runBuiltDetectionWorker(request: DetectionJobRequest): Promise<DetectionRunSummary> {
  const worker = new Worker(join(built, 'detection-worker.js'), { workerData: request })
  return new Promise((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'finished') resolve(message.summary)
      if (message.type === 'failed') reject(new Error(message.message))
    })
    worker.on('error', reject)
    worker.on('exit', (code) => reject(new Error(`the built detection worker stopped (exit code ${code})`)))
  })
}
