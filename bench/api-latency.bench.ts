/**
 * API round trips while heavy work goes on. Runs and evaluations work in worker threads, so
 * the thread that answers the API should stay as quick as when idle. Two scenarios, each
 * printing p50/p95/p99 against the idle baseline measured in the same run:
 * 1. the calls a renderer makes while browsing (a grid page, project stats, run progress)
 *    during a detection run of the fixture model;
 * 2. the cheapest call (`app.info`) and a grid page while a 5,000-image evaluation with a
 *    compared run is scored again and again (a review between two evaluations moves the data
 *    stamp, so none is served from the cache), beside the time the same evaluation takes on
 *    the calling thread: what each call waited while evaluation ran there;
 * 3. the same calls while a COCO file of 1,000,000 labels is imported into 5,000 images (read
 *    outside the write queue, then planned and written in its turn), then while it is undone.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src-main/core/db/connection'
import { evaluateScope } from '../src-main/core/evaluation/evaluation-report'
import { startServer } from '../src-main/server/start-server'
import { copyFixtureImages, fixtureModel } from '../test/integration/jobs/project-fixture'
import { addBenchImages, BENCH_IMAGE_SIZE, fillEvaluationProject } from './scale-project'

const RUN_IMAGE_COUNT = 160
const EVALUATION_IMAGE_COUNT = 5_000
const EVALUATIONS = 6
const IMPORT_IMAGE_COUNT = 5_000
const IMPORT_LABELS_PER_IMAGE = 200
const BASELINE_ROUNDS = 150
/** The calls probed while heavy work runs: the cheapest one, and the grid page a window shows. */
const PROBES: ReadonlyArray<readonly [method: string, args: unknown]> = [
  ['app.info', {}],
  ['images.grid', { offset: 0, limit: 100 }],
]
const BROWSING_CALLS: ReadonlyArray<readonly [method: string, args: unknown]> = [
  ['images.grid', { offset: 0, limit: 100 }],
  ['project.stats', {}],
  ['runs.active', {}],
]

type Call = (method: string, args: unknown) => Promise<{ ms: number; value: unknown }>
type Stats = { p50: number; p95: number; p99: number; count: number }

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN
}

function describe(latencies: number[]): Stats {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), count: sorted.length }
}

function printTable(rows: ReadonlyArray<readonly [name: string, stats: Stats]>): void {
  console.log(`${'calls'.padEnd(28)} ${'count'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`)
  for (const [name, stats] of rows) {
    console.log(`${name.padEnd(28)} ${String(stats.count).padStart(6)} ${stats.p50.toFixed(1).padStart(8)} ${stats.p95.toFixed(1).padStart(8)} ${stats.p99.toFixed(1).padStart(8)}`)
  }
}

async function probeIdle(call: Call): Promise<Stats[]> {
  const idle = PROBES.map(() => [] as number[])
  for (let round = 0; round < BASELINE_ROUNDS; round++) {
    for (const [index, [method, args]] of PROBES.entries()) idle[index]!.push((await call(method, args)).ms)
  }
  return idle.map(describe)
}

/** Probes the API over and over while `work` runs; the latencies seen meanwhile, per probe. */
async function probeDuring<T>(call: Call, work: () => Promise<T>): Promise<{ stats: Stats[]; seconds: number; value: T }> {
  const during = PROBES.map(() => [] as number[])
  let working = true
  const probing = (async () => {
    while (working) {
      for (const [index, [method, args]] of PROBES.entries()) during[index]!.push((await call(method, args)).ms)
    }
  })()
  const started = performance.now()
  try {
    const value = await work()
    return { stats: during.map(describe), seconds: (performance.now() - started) / 1000, value }
  } finally {
    working = false
    await probing
  }
}

async function startBenchServer(folder: string) {
  const rendererDir = join(folder, 'renderer')
  await mkdir(rendererDir, { recursive: true })
  const server = await startServer({ port: 0, host: '127.0.0.1', userDataDir: join(folder, 'user-data'), appVersion: 'bench', rendererDir })
  server.context.runs.defaultModelPath = fixtureModel
  const call: Call = async (method, args) => {
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
  return { server, call }
}

async function duringDetectionRun(folder: string): Promise<void> {
  const imageFolder = join(folder, 'images')
  await mkdir(imageFolder, { recursive: true })
  copyFixtureImages(imageFolder, RUN_IMAGE_COUNT)
  const { server, call } = await startBenchServer(folder)
  try {
    await call('project.create', { imageFolder })
    const idle: number[] = []
    for (let round = 0; round < BASELINE_ROUNDS; round++) {
      for (const [method, args] of BROWSING_CALLS) idle.push((await call(method, args)).ms)
    }
    const during: number[] = []
    const runStarted = performance.now()
    await call('runs.start', { scope: 'all' })
    for (;;) {
      for (const [method, args] of BROWSING_CALLS) during.push((await call(method, args)).ms)
      const runs = (await call('runs.list', {})).value as Array<{ state: string; imagesDone: number }>
      if (runs[0]?.state !== 'running') break
    }
    const runSeconds = (performance.now() - runStarted) / 1000
    const baseline = describe(idle)
    const loaded = describe(during)
    console.log(`1. ${RUN_IMAGE_COUNT} images, fixture model, run took ${runSeconds.toFixed(1)} s (${(RUN_IMAGE_COUNT / runSeconds).toFixed(1)} images/s)`)
    printTable([
      ['idle (baseline)', baseline],
      ['during a run', loaded],
    ])
    console.log(`p99 during a run: ${loaded.p99.toFixed(1)} ms (target < 50 ms), ${(loaded.p99 / baseline.p99).toFixed(2)}× the idle p99`)
  } finally {
    await server.close()
  }
}

async function duringComparedEvaluation(folder: string): Promise<void> {
  const imageFolder = join(folder, 'empty-images')
  await mkdir(imageFolder, { recursive: true })
  const { server, call } = await startBenchServer(folder)
  try {
    const created = (await call('project.create', { imageFolder })).value as { file: string }
    const { runIds, imageIds } = fillEvaluationProject(created.file, EVALUATION_IMAGE_COUNT)
    const scope = { runId: runIds[1], compareRunId: runIds[0] }

    const idle = await probeIdle(call)

    // What each call waited when the evaluation ran on the thread that answers them.
    const db = openDatabase(created.file, { mustExist: true, readOnly: true })
    const inThreadStarted = performance.now()
    const report = evaluateScope(db, scope, 0.9)
    const inThreadSeconds = (performance.now() - inThreadStarted) / 1000
    db.close()

    const evaluationSeconds: number[] = []
    const { stats: during } = await probeDuring(call, async () => {
      for (let round = 0; round < EVALUATIONS; round++) {
        await call('images.setReviewed', { imageId: imageIds[round]!, reviewed: round % 2 === 1 })
        evaluationSeconds.push((await call('evaluation.evaluate', scope)).ms / 1000)
      }
    })

    const medianEvaluation = [...evaluationSeconds].sort((a, b) => a - b)[Math.floor(EVALUATIONS / 2)]!
    console.log(
      `2. ${EVALUATION_IMAGE_COUNT.toLocaleString('en')} images, two runs compared (AP50 ${report.primary.summary.AP50.toFixed(3)} vs ${report.comparison?.summary.AP50.toFixed(3)}): ` +
        `evaluation.evaluate median ${medianEvaluation.toFixed(2)} s over ${EVALUATIONS}; on the calling thread ${inThreadSeconds.toFixed(2)} s`,
    )
    printTable(PROBES.flatMap(([method], index) => [[`${method} idle`, idle[index]!] as const, [`${method} during evaluation`, during[index]!] as const]))
    const [appInfoIdle, appInfoDuring] = [idle[0]!, during[0]!]
    console.log(
      `p99 of app.info during the evaluations: ${appInfoDuring.p99.toFixed(1)} ms (target < 50 ms), ${(appInfoDuring.p99 / appInfoIdle.p99).toFixed(2)}× the idle p99; ` +
        `on the calling thread a call could wait up to ${(inThreadSeconds * 1000).toFixed(0)} ms (${(inThreadSeconds * 1000 / appInfoDuring.p99).toFixed(0)}× this p99)`,
    )
  } finally {
    await server.close()
  }
}

/** A COCO file with `perImage` boxes on every image of `paths`, spread over ten classes. */
async function writeCocoFile(file: string, paths: readonly string[], perImage: number): Promise<void> {
  const images = paths.map((path, index) => ({ id: index + 1, file_name: path, ...BENCH_IMAGE_SIZE }))
  const annotations: object[] = []
  for (const image of images) {
    for (let k = 0; k < perImage; k++) {
      const x = (k % 20) * 60
      const y = Math.floor(k / 20) * 70
      annotations.push({ id: annotations.length + 1, image_id: image.id, category_id: 1 + (k % 10), bbox: [x, y, 40, 50], area: 2000, iscrowd: 0 })
    }
  }
  const categories = Array.from({ length: 10 }, (_, k) => ({ id: k + 1, name: `kind-${k + 1}` }))
  await writeFile(file, JSON.stringify({ images, annotations, categories }))
}

async function duringLargeImportAndUndo(folder: string): Promise<void> {
  const imageFolder = join(folder, 'empty-images')
  await mkdir(imageFolder, { recursive: true })
  const { server, call } = await startBenchServer(folder)
  try {
    const created = (await call('project.create', { imageFolder })).value as { file: string }
    const paths = addBenchImages(created.file, IMPORT_IMAGE_COUNT)
    const cocoFile = join(folder, 'labels.json')
    await writeCocoFile(cocoFile, paths, IMPORT_LABELS_PER_IMAGE)
    const megabytes = (await stat(cocoFile)).size / 1e6
    const idle = await probeIdle(call)
    const imported = await probeDuring(call, () => call('labels.import', { format: 'coco', input: cocoFile, mode: 'add', markReviewed: false, addClasses: true }))
    const labels = (imported.value.value as { labelsCreated: number }).labelsCreated
    const undone = await probeDuring(call, () => call('labels.undo', {}))
    console.log(
      `3. ${labels.toLocaleString('en')} labels on ${IMPORT_IMAGE_COUNT.toLocaleString('en')} images from a ${megabytes.toFixed(0)} MB COCO file: ` +
        `import ${imported.seconds.toFixed(1)} s, its undo ${undone.seconds.toFixed(1)} s`,
    )
    printTable(
      PROBES.flatMap(([method], index) => [
        [`${method} idle`, idle[index]!] as const,
        [`${method} during import`, imported.stats[index]!] as const,
        [`${method} during undo`, undone.stats[index]!] as const,
      ]),
    )
    console.log(
      `p99 of app.info: ${imported.stats[0]!.p99.toFixed(1)} ms during the import, ${undone.stats[0]!.p99.toFixed(1)} ms during its undo (target < 50 ms); ` +
        `idle ${idle[0]!.p99.toFixed(1)} ms`,
    )
  } finally {
    await server.close()
  }
}

export async function run(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'rw-bench-latency-'))
  try {
    await duringDetectionRun(join(folder, 'run'))
    await duringComparedEvaluation(join(folder, 'evaluation'))
    await duringLargeImportAndUndo(join(folder, 'import'))
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
