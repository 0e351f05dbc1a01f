/**
 * End-to-end detection throughput (image files → detections through openDetector) against
 * ONNX Runtime's session.run alone on the same preprocessed tensors, batched the same way,
 * with the same thread count, in the same process. The ratio says how much of the graph's
 * own speed the pipeline keeps: decoding images, preparing tensors and decoding heads should
 * hide behind inference.
 *
 * Measured with ONNX Runtime's idle threads sleeping (the detector's default) and spinning
 * (ONNX Runtime's own default, the detector's before); the pipeline with images prepared on the
 * detector's own thread and, with sleeping threads, spread over preparation workers (one per
 * core ORT leaves free, at least one). Each ratio compares a pipeline with the ORT-only run of
 * the same setting, within each round.
 *
 * Models: (a) the bundled resources/models/shapes-retinanet.onnx, or the largest fixture model
 * while it does not exist; (b) torchvision's ResNet-50-FPN RetinaNet with random weights,
 * exported on demand into .cache/models by tools/model/export_torchvision.py.
 * Environment: BENCH_THREADS (default 2), BENCH_ROUNDS (default 3), BENCH_DETECT_RESNET=0 to
 * leave out the (slow) ResNet-50 case, BENCH_DETECT_CPU=0 to measure only the providers below.
 *
 * Then every execution provider this machine has, each model through ORT alone at several batch
 * sizes and through the whole pipeline (detect-providers.ts).
 *
 * Each case also reports where the pipeline's own CPU time goes, stage by stage, on the
 * detector's thread: decoding the files (sharp), preparing tensors (resize, normalize, pad) and
 * decoding the heads (threshold, top-k, boxes, NMS) of outputs computed beforehand.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { BUNDLED_MODEL_PATH, openDetector, type Detector } from '../src-main/core/detect/detector'
import { loadModel, type DetectionModel } from '../src-main/core/detect/model'
import { defaultPrepareThreads } from '../src-main/core/detect/prepare-pool'
import { decodeOutputs } from '../src-main/core/detect/decode/index'
import { prepareImage } from '../src-main/core/detect/preprocess'
import type { PreparedInput, RawTensor } from '../src-main/core/detect/types'
import { decodeImageFile } from '../src-main/core/images/decode-image'
import { runProviderBench } from './detect-providers'

const repoRoot = fileURLToPath(new URL('../', import.meta.url))
const cacheDir = join(repoRoot, '.cache')
const PYTHON = '/usr/bin/python3'
const threads = Number(process.env.BENCH_THREADS ?? 2)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)

interface BenchCase {
  label: string
  modelPath: string
  imageCount: number
  /** Pipeline / ORT-only throughput the pipeline should reach. */
  target: number
}

interface CaseResult {
  label: string
  imagesPerSecondOrt: number
  target: number
  /** Process CPU time per image of ORT alone. */
  ortCpuMs: number
  pipelines: PipelineResult[]
}

interface PipelineResult {
  /** Where images are decoded and prepared. */
  variant: string
  imagesPerSecond: number
  ratio: number
  /** Process CPU time per image the pipeline adds to ORT's (decode, prepare, heads, threads). */
  extraCpuMs: number
}

/** Preparation workers of the pooled variant: the cores ORT leaves free, at least one. */
const poolThreads = Math.max(1, defaultPrepareThreads('cpu', threads))

export async function run(): Promise<void> {
  if (process.env.BENCH_DETECT_CPU !== '0') await runCpuBench()
  await runProviderBench(benchImages)
}

async function runCpuBench(): Promise<void> {
  const cases: BenchCase[] = []
  const bundled = existsSync(BUNDLED_MODEL_PATH)
  const small = bundled ? BUNDLED_MODEL_PATH : largestFixtureModel()
  if (!bundled) console.log(`bundled model missing (${BUNDLED_MODEL_PATH}); using the largest fixture model ${small}`)
  cases.push({ label: bundled ? 'bundled shapes-retinanet' : `fixture ${small.split('/').pop()}`, modelPath: small, imageCount: 24, target: 0.85 })
  const resnet = process.env.BENCH_DETECT_RESNET === '0' ? { skipped: 'BENCH_DETECT_RESNET=0' } : resnet50Model()
  if (typeof resnet === 'string') cases.push({ label: 'ResNet-50-FPN (random weights)', modelPath: resnet, imageCount: 4, target: 0.97 })
  else console.log(`skipping ResNet-50-FPN: ${resnet.skipped}`)

  const images = await benchImages(24)
  const results: CaseResult[] = []
  for (const benchCase of cases) results.push(...(await measure(benchCase, images.slice(0, benchCase.imageCount))))

  console.log(`\nthreads ${threads}, ${rounds} rounds; rates are medians, ratio is the median of per-round ratios; images are 640×480 JPEGs`)
  console.log('model, ORT idle threads                              pipeline           ORT img/s   pipeline img/s   ratio   target   ORT CPU ms/img   added CPU ms/img')
  for (const result of results) {
    for (const piped of result.pipelines) {
      console.log(
        `${result.label.padEnd(52)} ${piped.variant.padEnd(18)} ${result.imagesPerSecondOrt.toFixed(2).padStart(9)}   ${piped.imagesPerSecond.toFixed(2).padStart(14)}   ${piped.ratio.toFixed(3)}   ≥ ${result.target}   ${result.ortCpuMs.toFixed(1).padStart(14)}   ${piped.extraCpuMs.toFixed(1).padStart(16)}`,
      )
    }
  }
  // With every core busy in ONNX Runtime, the added CPU time cannot hide behind inference.
  console.log('ratio ceiling on a saturated machine ≈ ORT CPU / (ORT CPU + added CPU)')
}

/** Idle ONNX Runtime threads sleeping (the detector's default) or spin-waiting (ONNX Runtime's own default). */
const SPINNING_SETTINGS = [
  { spinning: false, label: 'ORT threads sleep' },
  { spinning: true, label: 'ORT threads spin' },
]

async function measure(benchCase: BenchCase, paths: string[]): Promise<CaseResult[]> {
  console.log(`\n${benchCase.label}: ${benchCase.modelPath}`)
  const open = (spinning: boolean, prepareThreads: number) =>
    openDetector({ modelPath: benchCase.modelPath, provider: 'cpu', threads, prepareThreads, spinning })
  const settings = await Promise.all(
    SPINNING_SETTINGS.map(async ({ spinning, label }) => ({
      label,
      baseline: await loadModel(benchCase.modelPath, { provider: 'cpu', threads, spinning }),
      variants: [
        { name: 'detector thread', detector: await open(spinning, 0) },
        // Spinning was the former default, measured without the workers that came with the change.
        ...(spinning ? [] : [{ name: `${poolThreads} prepare worker${poolThreads === 1 ? '' : 's'}`, detector: await open(spinning, poolThreads) }]),
      ],
    })),
  )
  try {
    const first = settings[0]!.baseline
    const prepared: PreparedInput[] = []
    for (const path of paths) prepared.push(prepareImage(await decodeImageFile(path), first.config.input))
    await reportStages(paths, first)
    const batches = batchLikePipeline(prepared, first.maxBatchSize)
    const ortOnly = (model: DetectionModel) => async () => {
      for (const batch of batches) await model.runRaw(batch)
    }
    const pipeline = (detector: Detector) => async () => {
      for await (const result of detector.detectFiles(paths)) if (!result.ok) throw new Error(`${result.path}: ${result.error}`)
    }
    // Warm-up: first runs allocate and tune (and the workers start).
    for (const setting of settings) {
      await ortOnly(setting.baseline)()
      for (const variant of setting.variants) await pipeline(variant.detector)()
    }
    const ort: Timing[][] = settings.map(() => [])
    const piped: Timing[][][] = settings.map((setting) => setting.variants.map(() => []))
    for (let round = 0; round < rounds; round++) {
      // Alternate, so drift in machine load affects every side alike.
      const line: string[] = []
      for (const [s, setting] of settings.entries()) {
        const ortTiming = await timed(ortOnly(setting.baseline))
        ort[s]!.push(ortTiming)
        line.push(`${setting.label}: ORT ${ortTiming.wall.toFixed(2)} s (CPU ${ortTiming.cpu.toFixed(2)} s)`)
        for (const [v, variant] of setting.variants.entries()) {
          const timing = await timed(pipeline(variant.detector))
          piped[s]![v]!.push(timing)
          line.push(`${variant.name} ${timing.wall.toFixed(2)} s (CPU ${timing.cpu.toFixed(2)} s)`)
        }
      }
      console.log(`  round ${round + 1}: ${line.join(', ')}`)
    }
    // The default pipeline against the former one (spinning, detector thread), within rounds.
    const speedup = median(piped[1]![0]!.map((former, round) => former.wall / piped[0]![0]![round]!.wall))
    console.log(`  pipeline (detector thread) with sleeping ORT threads: ${speedup.toFixed(2)}× the throughput with spinning ones (median of rounds)`)
    return settings.map((setting, s) => {
      const ortCpuMs = (median(ort[s]!.map((t) => t.cpu)) / paths.length) * 1000
      return {
        label: `${benchCase.label}, ${setting.label}`,
        imagesPerSecondOrt: paths.length / median(ort[s]!.map((t) => t.wall)),
        target: benchCase.target,
        ortCpuMs,
        pipelines: setting.variants.map((variant, v) => {
          const timings = piped[s]![v]!
          return {
            variant: variant.name,
            imagesPerSecond: paths.length / median(timings.map((t) => t.wall)),
            // Each round's measurements ran back to back under the same load: compare within rounds.
            ratio: median(ort[s]!.map((o, round) => o.wall / timings[round]!.wall)),
            extraCpuMs: (median(timings.map((t) => t.cpu)) / paths.length) * 1000 - ortCpuMs,
          }
        }),
      }
    })
  } finally {
    for (const setting of settings) {
      for (const variant of setting.variants) await variant.detector.close()
      await setting.baseline.close()
    }
  }
}

/**
 * CPU milliseconds per image of each stage the pipeline adds to inference, one image at a time
 * on this thread: the best of BENCH_ROUNDS passes over the images (the least disturbed by
 * whatever else runs), so the figures compare across runs and commits.
 */
async function reportStages(paths: string[], model: DetectionModel): Promise<void> {
  const cpuMs = () => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1000
  }
  const best = { decode: Infinity, prepare: Infinity, heads: Infinity }
  const outputs: Array<{ raw: Record<string, RawTensor>; input: PreparedInput }> = []
  const tensors: Array<Float32Array | undefined> = []
  for (const path of paths) {
    const input = prepareImage(await decodeImageFile(path), model.config.input)
    outputs.push({ raw: await model.runRaw([input]), input })
  }
  for (let round = 0; round < Math.max(7, rounds); round++) {
    let start = cpuMs()
    const images = []
    for (const path of paths) images.push(await decodeImageFile(path))
    best.decode = Math.min(best.decode, (cpuMs() - start) / paths.length)
    start = cpuMs()
    // Into the previous pass's tensors where the code has that parameter, as the detector reuses them.
    for (const [index, image] of images.entries()) tensors[index] = prepareImage(image, model.config.input, tensors[index]).data
    best.prepare = Math.min(best.prepare, (cpuMs() - start) / paths.length)
    start = cpuMs()
    for (const { raw, input } of outputs) decodeOutputs(raw, model.config, [input.frame])
    best.heads = Math.min(best.heads, (cpuMs() - start) / paths.length)
  }
  const total = best.decode + best.prepare + best.heads
  console.log(
    `  stages, CPU ms per image (best of ${Math.max(7, rounds)} passes): decode ${best.decode.toFixed(2)}, prepare ${best.prepare.toFixed(2)}, heads ${best.heads.toFixed(2)}, total ${total.toFixed(2)}`,
  )
}

/** Consecutive inputs of one padded shape, up to the batch capacity: how detectFiles groups them. */
function batchLikePipeline(inputs: PreparedInput[], maxBatchSize: number): PreparedInput[][] {
  const batches: PreparedInput[][] = []
  for (const input of inputs) {
    const last = batches.at(-1)
    const head = last?.[0]
    if (last && head && last.length < maxBatchSize && head.frame.paddedWidth === input.frame.paddedWidth && head.frame.paddedHeight === input.frame.paddedHeight) {
      last.push(input)
    } else {
      batches.push([input])
    }
  }
  return batches
}

interface Timing {
  wall: number
  cpu: number
}

/** Wall-clock and process CPU seconds (all threads: ORT's, libvips', JavaScript's, the workers'). */
async function timed(work: () => Promise<void>): Promise<Timing> {
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  await work()
  const cpu = process.cpuUsage(cpuStart)
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function largestFixtureModel(): string {
  const folder = join(repoRoot, 'test/fixtures/models')
  const models = readdirSync(folder)
    .filter((file) => file.endsWith('.onnx'))
    .map((file) => ({ path: join(folder, file), size: statSync(join(folder, file)).size }))
    .sort((a, b) => b.size - a.size)
  if (!models[0]) throw new Error(`no fixture models in ${folder}`)
  return models[0].path
}

function resnet50Model(): string | { skipped: string } {
  const path = join(cacheDir, 'models', 'retinanet_resnet50_fpn-random.onnx')
  if (existsSync(path)) return path
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} is not installed` }
  console.log('exporting ResNet-50-FPN RetinaNet with random weights (once; cached in .cache/models)…')
  const exported = spawnSync(PYTHON, ['tools/model/export_torchvision.py', '--random-weights'], { cwd: repoRoot, encoding: 'utf8' })
  if (exported.status !== 0 || !existsSync(path)) {
    const reason = (exported.stderr || exported.error?.message || 'unknown error').trim().split('\n').at(-1)
    return { skipped: `export failed (python with torch and torchvision needed): ${reason}` }
  }
  return path
}

/** Deterministic 640×480 JPEGs: gradients, blocks and noise, so decoding costs what a photo costs. */
async function benchImages(count: number): Promise<string[]> {
  const folder = join(cacheDir, 'bench-detect-images')
  mkdirSync(folder, { recursive: true })
  const paths: string[] = []
  const width = 640
  const height = 480
  for (let index = 0; index < count; index++) {
    const path = join(folder, `image-${String(index).padStart(3, '0')}.jpg`)
    paths.push(path)
    if (existsSync(path)) continue
    const pixels = Buffer.alloc(width * height * 3)
    let seed = 12345 + index * 7919
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        const noise = (seed >> 16) % 24
        const block = ((Math.floor(x / 80) + Math.floor(y / 60) + index) % 5) * 30
        const offset = (y * width + x) * 3
        pixels[offset] = Math.min(255, (x * 255) / width / 2 + block + noise)
        pixels[offset + 1] = Math.min(255, (y * 255) / height / 2 + noise)
        pixels[offset + 2] = Math.min(255, 200 - block + noise)
      }
    }
    await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toFile(path)
  }
  return paths
}
