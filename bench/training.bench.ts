/**
 * The head trainer's cost (issue 23's target: 60 reviewed images trained in ≤ 10 minutes on two
 * cores, ≤ 2 GB), its JavaScript im2col kernels against the WebAssembly SIMD kernel, both
 * measured in this run:
 *
 *  1. Kernel per image step: the work one training image costs the two trainable layers of the
 *     bundled model (resources/models/shapes-retinanet.onnx) — preparing each level's input,
 *     forward and weight gradient of the class and the box layer over all five levels — on the
 *     real features of a sample image at each scale the trainer jitters to (0.8×, 1×, 1.2×).
 *     Rounds alternate the two kernels so that load from elsewhere hits both alike.
 *  2. One real epoch: trainHeads on the bundled samples with their ground truth (the project's
 *     held-out split, the default settings, one epoch), once per kernel, each in its own child
 *     process so that its peak memory is its own. The JavaScript child removes WebAssembly only
 *     after the detector's own kernels are loaded, so that it runs what training ran before.
 *     Reported: the epoch, its training steps per image, held-out scoring per image, peak RSS,
 *     and what those figures make of 60 reviewed images (48 train, 12 held out) × 12 epochs.
 *
 * Environment: BENCH_ROUNDS (default 3) rounds per kernel and scale; BENCH_TRAINING_EPOCH=0 to
 * leave out the epochs (about half a minute).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { HeadLayerKernel, LevelFeatures } from '../src-main/core/training/head-layer'
import type { LabelledImage } from '../src-main/core/training/training-example'

const repoRoot = fileURLToPath(new URL('../', import.meta.url))
const MODEL = join(repoRoot, 'resources/models/shapes-retinanet.onnx')
const CONFIG = join(repoRoot, 'resources/models/shapes-retinanet.json')
const SAMPLES = join(repoRoot, 'resources/samples')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SCALES = [0.8, 1, 1.2]
const KERNELS: HeadLayerKernel[] = ['javascript', 'webassembly']
/** The project: 60 reviewed images, the default 20% held out, the default 12 epochs. */
const TARGET = { train: 48, heldOut: 12, epochs: 12, seconds: 600 }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const milliseconds = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`

async function kernelSteps(): Promise<void> {
  const { loadModelConfig } = await import('../src-main/core/detect/config')
  const { FeatureExtractor } = await import('../src-main/core/training/feature-extractor')
  const { headLayerBackward, headLayerForward, levelColumns } = await import('../src-main/core/training/head-layer')
  const { readHeadParameters, zeroParametersLike } = await import('../src-main/core/training/head-parameters')
  const { decodeWithHeads } = await import('../src-main/core/training/onnx/head-editing')
  const { seededRandom } = await import('../src-main/core/training/random')

  const modelBytes = readFileSync(MODEL)
  const config = await loadModelConfig(CONFIG)
  const { model, heads } = decodeWithHeads(modelBytes, config.output)
  const parameters = readHeadParameters(model, heads)
  const classLayer = { inChannels: heads.classification.inChannels, anchorsPerCell: heads.anchorsPerCell, valuesPerAnchor: heads.classCount }
  const boxLayer = { inChannels: heads.boxRegression.inChannels, anchorsPerCell: heads.anchorsPerCell, valuesPerAnchor: 4 }
  const extractor = await FeatureExtractor.open(modelBytes, config, 1)
  const image: LabelledImage = { path: join(SAMPLES, 'shapes-01.jpg'), name: 'shapes-01.jpg', boxes: new Float32Array(0), classes: new Int32Array(0) }
  const decoded = await extractor.decode(image.path)
  const random = seededRandom(23)

  console.log(`bundled model: class layer ${classLayer.inChannels} → ${classLayer.anchorsPerCell * classLayer.valuesPerAnchor} channels, box layer ${boxLayer.inChannels} → ${boxLayer.anchorsPerCell * 4}`)
  console.log('kernel per image step (prepare levels, forward and weight gradient of both layers), median of', ROUNDS, 'rounds:')
  try {
    for (const scale of SCALES) {
      const example = await extractor.extract(image, decoded, { flip: false, scale })
      const positions = example.classFeatures.reduce((sum, level) => sum + level.height * level.width, 0)
      const classGradient = Float32Array.from({ length: positions * classLayer.anchorsPerCell * classLayer.valuesPerAnchor }, () => (random() - 0.5) * 1e-3)
      const boxGradient = Float32Array.from({ length: positions * boxLayer.anchorsPerCell * 4 }, () => (random() - 0.5) * 1e-3)
      // Forward and weight gradient each: positions × 9 taps × in-channels × out-channels, for both layers.
      const outChannels = (layer: typeof classLayer) => layer.anchorsPerCell * layer.valuesPerAnchor
      const multiplyAdds = 2 * positions * 9 * (classLayer.inChannels * outChannels(classLayer) + boxLayer.inChannels * outChannels(boxLayer))
      const step = (kernel: HeadLayerKernel, classFeatures: LevelFeatures[], boxFeatures: LevelFeatures[]): number => {
        const started = performance.now()
        const classColumns = levelColumns(classFeatures, kernel)
        const boxColumns = levelColumns(boxFeatures, kernel)
        headLayerForward(classColumns, parameters.classWeight, parameters.classBias, classLayer)
        headLayerForward(boxColumns, parameters.boxWeight, parameters.boxBias, boxLayer)
        const sums = zeroParametersLike(parameters)
        headLayerBackward(classColumns, classGradient, classLayer, sums.classWeight, sums.classBias)
        headLayerBackward(boxColumns, boxGradient, boxLayer, sums.boxWeight, sums.boxBias)
        return performance.now() - started
      }
      const times = new Map<HeadLayerKernel, number[]>(KERNELS.map((kernel) => [kernel, []]))
      for (const kernel of KERNELS) step(kernel, example.classFeatures, example.boxFeatures) // warm-up (WebAssembly tiers up)
      for (let round = 0; round < ROUNDS; round++) {
        for (const kernel of KERNELS) times.get(kernel)!.push(step(kernel, example.classFeatures, example.boxFeatures))
      }
      const javascript = median(times.get('javascript')!)
      const wasm = median(times.get('webassembly')!)
      const sizes = example.classFeatures.map((level) => `${level.height}×${level.width}`).join(', ')
      console.log(
        `  ${scale}× (${example.frame.paddedHeight}×${example.frame.paddedWidth} input; levels ${sizes}; ${(multiplyAdds / 1e6).toFixed(0)} M multiply-adds): ` +
          `JavaScript ${milliseconds(javascript)}, WebAssembly SIMD ${milliseconds(wasm)} ` +
          `(fastest ${milliseconds(Math.min(...times.get('webassembly')!))}, ${(multiplyAdds / wasm / 1e6).toFixed(1)} G/s) — ${(javascript / wasm).toFixed(1)}× faster`,
      )
    }
  } finally {
    await extractor.release()
  }
}

interface EpochFigures {
  kernel: HeadLayerKernel
  trainImages: number
  heldOutImages: number
  /** Before the epochs: decoding and features of the held-out images, the base model's held-out score. */
  setupSeconds: number
  epochSeconds: number
  trainSeconds: number
  heldOutSeconds: number
  peakRssMiB: number
}

/** Child process: one epoch with `kernel`, figures as one JSON line on stdout. */
async function epochChild(kernel: HeadLayerKernel): Promise<void> {
  if (kernel === 'javascript') {
    // The detector's kernels (resize, threshold scan) load first and keep WebAssembly, as they had it before training had its own.
    await import('../src-main/core/detect/preprocess')
    await import('../src-main/core/detect/decode/index')
    Reflect.deleteProperty(globalThis, 'WebAssembly')
  }
  const { DEFAULT_HEAD_LAYER_KERNEL } = await import('../src-main/core/training/head-layer')
  if (DEFAULT_HEAD_LAYER_KERNEL !== kernel) throw new Error(`this child was to train with the ${kernel} kernel, not ${DEFAULT_HEAD_LAYER_KERNEL}`)
  const { loadModelConfig } = await import('../src-main/core/detect/config')
  const { hashPath } = await import('../src-main/core/formats/split')
  const { DEFAULT_HELD_OUT_FRACTION } = await import('../src-main/core/training/training-set')
  const { DEFAULT_TRAIN_SETTINGS, trainHeads } = await import('../src-main/core/training/train-heads')

  const config = await loadModelConfig(CONFIG)
  const classNames = Array.from({ length: config.numClasses }, (_, index) => config.classes.find((c) => c.index === index)!.name)
  const coco = JSON.parse(readFileSync(join(SAMPLES, 'ground-truth.json'), 'utf8')) as {
    images: Array<{ id: number; file_name: string }>
    annotations: Array<{ image_id: number; category_id: number; bbox: [number, number, number, number] }>
    categories: Array<{ id: number; name: string }>
  }
  const classOf = new Map(coco.categories.map((category) => [category.id, classNames.indexOf(category.name)]))
  const images: LabelledImage[] = coco.images.map((image) => {
    const annotations = coco.annotations.filter((annotation) => annotation.image_id === image.id)
    return {
      path: join(SAMPLES, image.file_name),
      name: image.file_name,
      boxes: Float32Array.from(annotations.flatMap(({ bbox: [x, y, w, h] }) => [x, y, x + w, y + h])),
      classes: Int32Array.from(annotations, (annotation) => classOf.get(annotation.category_id)!),
    }
  })
  const threshold = Math.round(DEFAULT_HELD_OUT_FRACTION * 2 ** 32)
  const heldOut = images.filter((image) => hashPath(image.name) < threshold)
  const train = images.filter((image) => hashPath(image.name) >= threshold)

  const started = performance.now()
  let lastStep = 0
  let figures: EpochFigures | null = null
  await trainHeads({
    modelBytes: readFileSync(MODEL),
    config,
    classNames,
    trainedClasses: new Uint8Array(classNames.length).fill(1),
    train,
    heldOut,
    settings: { ...DEFAULT_TRAIN_SETTINGS, epochs: 1 },
    onStep: () => (lastStep = performance.now()),
    onEpoch: (report) => {
      const ended = performance.now()
      const epochStarted = ended - report.seconds * 1000
      figures = {
        kernel,
        trainImages: train.length,
        heldOutImages: heldOut.length,
        setupSeconds: (epochStarted - started) / 1000,
        epochSeconds: report.seconds,
        trainSeconds: (lastStep - epochStarted) / 1000,
        heldOutSeconds: (ended - lastStep) / 1000,
        peakRssMiB: 0,
      }
    },
  })
  if (!figures) throw new Error('the epoch never ended')
  const done: EpochFigures = figures
  done.peakRssMiB = process.resourceUsage().maxRSS / 1024
  console.log(JSON.stringify(done))
}

function epochInChild(kernel: HeadLayerKernel): EpochFigures {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--epoch', kernel], { cwd: repoRoot, encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`the ${kernel} epoch failed (${child.status ?? child.signal}):\n${child.stderr}`)
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as EpochFigures
}

async function epochs(): Promise<void> {
  console.log('one epoch on the bundled samples (default settings: batch 4, scales 0.8/1/1.2, flips), each kernel in its own process:')
  const results = new Map<HeadLayerKernel, EpochFigures>()
  for (const kernel of KERNELS) {
    const figures = epochInChild(kernel)
    results.set(kernel, figures)
    const perTrain = figures.trainSeconds / figures.trainImages
    const perHeldOut = figures.heldOutSeconds / Math.max(1, figures.heldOutImages)
    const projected = TARGET.epochs * (TARGET.train * perTrain + TARGET.heldOut * perHeldOut)
    console.log(
      `  ${kernel}: epoch ${figures.epochSeconds.toFixed(1)} s (${figures.trainImages} training images ${perTrain.toFixed(2)} s each, ` +
        `${figures.heldOutImages} held-out scored ${perHeldOut.toFixed(2)} s each), setup ${figures.setupSeconds.toFixed(1)} s, peak RSS ${figures.peakRssMiB.toFixed(0)} MiB; ` +
        `60 images × 12 epochs ≈ ${(projected / 60).toFixed(1)} min (target ${TARGET.seconds / 60} min)`,
    )
  }
  const javascript = results.get('javascript')!
  const wasm = results.get('webassembly')!
  console.log(
    `  WebAssembly SIMD against JavaScript: epoch ${(javascript.epochSeconds / wasm.epochSeconds).toFixed(1)}× faster, ` +
      `training step ${(javascript.trainSeconds / javascript.trainImages / (wasm.trainSeconds / wasm.trainImages)).toFixed(1)}× faster`,
  )
}

export async function run(): Promise<void> {
  await kernelSteps()
  if (process.env.BENCH_TRAINING_EPOCH !== '0') await epochs()
}

const epochArgument = process.argv.indexOf('--epoch')
if (epochArgument >= 0 && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await epochChild(process.argv[epochArgument + 1] as HeadLayerKernel)
}
