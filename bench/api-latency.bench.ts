/**
 * API round trips while a detection run goes on. The run works in a worker thread, so the
 * thread that answers the API should stay as quick as when idle: this prints p50/p95/p99 of
 * the calls a renderer makes while browsing (a grid page, project stats, run progress), first
 * with no run (the baseline), then during a run of the fixture model over the same project.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { copyFixtureImages, fixtureModel } from '../test/integration/jobs/project-fixture'
import { startServer } from '../src-main/server/start-server'

const IMAGE_COUNT = 160
const BASELINE_ROUNDS = 150
const CALLS: ReadonlyArray<readonly [method: string, args: unknown]> = [
  ['images.grid', { offset: 0, limit: 100 }],
  ['project.stats', {}],
  ['runs.active', {}],
]

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN
}

function describe(latencies: number[]): { p50: number; p95: number; p99: number; count: number } {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), count: sorted.length }
}

export async function run(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'rw-bench-latency-'))
  const imageFolder = join(folder, 'images')
  const rendererDir = join(folder, 'renderer')
  await mkdir(rendererDir, { recursive: true })
  await mkdir(imageFolder, { recursive: true })
  copyFixtureImages(imageFolder, IMAGE_COUNT)
  const server = await startServer({ port: 0, host: '127.0.0.1', userDataDir: join(folder, 'user-data'), appVersion: 'bench', rendererDir })
  server.context.runs.defaultModelPath = fixtureModel

  async function call(method: string, args: unknown): Promise<{ ms: number; value: unknown }> {
    const started = performance.now()
    const response = await fetch(`${server.origin}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    })
    const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } }
    const ms = performance.now() - started
    if (!body.ok) throw new Error(`${method}: ${body.error?.message}`)
    return { ms, value: body.value }
  }

  try {
    await call('project.create', { imageFolder })
    const idle: number[] = []
    for (let round = 0; round < BASELINE_ROUNDS; round++) {
      for (const [method, args] of CALLS) idle.push((await call(method, args)).ms)
    }

    const during: number[] = []
    const runStarted = performance.now()
    await call('runs.start', { scope: 'all' })
    for (;;) {
      for (const [method, args] of CALLS) during.push((await call(method, args)).ms)
      const runs = (await call('runs.list', {})).value as Array<{ state: string; imagesDone: number }>
      if (runs[0]?.state !== 'running') break
    }
    const runSeconds = (performance.now() - runStarted) / 1000

    const baseline = describe(idle)
    const loaded = describe(during)
    const row = (name: string, stats: ReturnType<typeof describe>) =>
      `${name.padEnd(16)} ${String(stats.count).padStart(6)} ${stats.p50.toFixed(1).padStart(8)} ${stats.p95.toFixed(1).padStart(8)} ${stats.p99.toFixed(1).padStart(8)}`
    console.log(`${IMAGE_COUNT} images, fixture model, run took ${runSeconds.toFixed(1)} s (${(IMAGE_COUNT / runSeconds).toFixed(1)} images/s)`)
    console.log(`${'calls'.padEnd(16)} ${'count'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`)
    console.log(row('idle (baseline)', baseline))
    console.log(row('during a run', loaded))
    console.log(`p99 during a run: ${loaded.p99.toFixed(1)} ms (target < 50 ms), ${(loaded.p99 / baseline.p99).toFixed(2)}× the idle p99`)
  } finally {
    await server.close()
    await rm(folder, { recursive: true, force: true })
  }
}
