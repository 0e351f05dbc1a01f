/**
 * `detect <folder|files...>`: runs the detector over images and writes COCO JSON. Per-image
 * problems are listed and the run goes on; only problems that stop the whole run (model,
 * config, unreadable input) end with a non-zero exit code.
 */
import { stat } from 'node:fs/promises'
import { dirname, relative, sep } from 'node:path'
import { openDetector, type Detector, type ImageResult } from '../../core/detect/detector'
import type { ModelConfig, ProviderRequest } from '../../core/detect/types'
import { DEFAULT_MAX_PIXELS } from '../../core/images/decode-image'
import { resolveCommandLinePath } from '../../core/user-paths'
import { compareCodePoints, listImageFiles, type ListedImage } from '../../core/images/list-image-files'
import { assignImageIds, createCocoDatasetWriter, createCocoResultsWriter, type CocoWriter } from '../../core/formats/coco'
import { openFileSink, streamSink } from '../../core/formats/text-sink'
import { numberIn, oneOf, optionalNumberIn, optionalScore, parseCommandLine, PROVIDERS } from '../arguments'
import { CliError, UsageError, type CliCommand, type CliIo } from '../command'
import { createProgressReporter, formatDuration } from '../progress'
import { countOf, describeFileError, describeProvider } from '../wording'

const FORMATS = ['coco', 'coco-results'] as const
/** Failures repeated in the closing summary; all of them were already printed as they happened. */
const SUMMARY_FAILURE_LINES = 20

const help = `Usage: detect <folder|files...> [options]

Runs the RetinaNet detector over image files and writes the detections as COCO JSON.
A folder contributes its image files (by extension, or by content for files without one),
hidden files skipped, sorted by path. Images that cannot be read are listed and skipped;
the run goes on.

Options:
  --model <file.onnx>       model to run (default: the bundled shapes model)
  --config <file.json>      model config (default: <model>.json beside the model)
  --out <file.json>         output file (default: standard output)
  --format <coco|coco-results>
                            coco: a dataset (images, categories, annotations with scores);
                            coco-results: the list pycocotools' loadRes takes (default: coco)
  --provider <auto|cpu|cuda|webgpu>
                            execution provider; auto uses CUDA when it loads, else WebGPU on a
                            real GPU, else the CPU, and says why each was not used (default: auto)
  --score <s>               keep detections scoring at least s, 0 ≤ s < 1 (default: the model config's)
  --threads <n>             CPU threads for inference (default: ONNX Runtime's choice)
  --max-pixels <n>          refuse images larger than this many pixels (default: ${DEFAULT_MAX_PIXELS})
  --recursive               include sub-folders
  --verbose                 stack traces for fatal errors
  -h, --help                this text

Image ids are 1-based in sorted relative-path order, the same in both formats.
Exit code: 0 when the run completes (even if some images failed), 1 for a fatal error
(model, config or input cannot be used), 2 for wrong arguments, 130 when cancelled.`

interface DetectArguments {
  inputs: string[]
  model?: string
  config?: string
  out?: string
  format: (typeof FORMATS)[number]
  provider: ProviderRequest
  score?: number
  threads?: number
  maxPixels: number
  recursive: boolean
}

export const detectCommand: CliCommand = {
  name: 'detect',
  summary: 'detect objects in image files and write COCO JSON',
  help,
  run: runDetect,
}

async function runDetect(args: string[], io: CliIo): Promise<number> {
  const options = parseDetectArguments(args)
  const { root, images } = await resolveInputs(options.inputs, options.recursive, io)
  if (images.length === 0) io.stderr.write(`warning: no image files found in ${options.inputs.join(', ')}\n`)

  const detector = await openDetectorForCli(options)
  try {
    io.stderr.write(`${describeModel(detector.model.path, detector.model.config)}\nprovider: ${describeProvider(detector.model.provider)}\n`)
    const writer = await openWriter(options, detector.model.config, root)
    try {
      const summary = await detectAll(detector, images, writer, io)
      await writer.finish()
      printSummary(io.stderr, summary, options.out)
    } catch (error) {
      await writer.abort()
      throw error
    }
  } finally {
    await detector.close()
  }
  return 0
}

function parseDetectArguments(args: string[]): DetectArguments {
  const { values, positionals } = parseCommandLine(args, {
    model: { type: 'string' },
    config: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string', default: 'coco' },
    provider: { type: 'string', default: 'auto' },
    score: { type: 'string' },
    threads: { type: 'string' },
    'max-pixels': { type: 'string' },
    recursive: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  })
  if (positionals.length === 0) throw new UsageError('give a folder or image files to detect in')
  return {
    inputs: positionals,
    model: values.model,
    config: values.config,
    out: values.out,
    format: oneOf('--format', values.format, FORMATS),
    provider: oneOf('--provider', values.provider, PROVIDERS),
    score: optionalScore(values.score),
    threads: optionalNumberIn('--threads', values.threads, 1, 1024, true),
    maxPixels: values['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : numberIn('--max-pixels', values['max-pixels'], 1, Number.MAX_SAFE_INTEGER, true),
    recursive: values.recursive ?? false,
  }
}

/** Folders are listed, files taken as given; relative paths are taken from the inputs' common folder. */
async function resolveInputs(inputs: string[], recursive: boolean, io: CliIo): Promise<{ root: string; images: ListedImage[] }> {
  const signal = io.signal
  const entries: { path: string; isFolder: boolean }[] = []
  for (const input of inputs) {
    const path = resolveCommandLinePath(input, 'The input')
    try {
      entries.push({ path, isFolder: (await stat(path)).isDirectory() })
    } catch (error) {
      throw new CliError(`cannot read ${input}: ${describeFileError(error)}`)
    }
  }
  const root = commonFolder(entries.map((entry) => (entry.isFolder ? entry.path : dirname(entry.path))))
  const byPath = new Map<string, ListedImage>()
  for (const entry of entries) {
    if (!entry.isFolder) {
      byPath.set(entry.path, { path: entry.path, relativePath: toRelative(root, entry.path) })
      continue
    }
    let listed: ListedImage[]
    try {
      listed = await listImageFiles(entry.path, {
        recursive,
        signal,
        onUnreadableFolder: (folder, error) => io.stderr.write(`warning: skipped ${folder}: ${describeFileError(error)}\n`),
      })
    } catch (error) {
      if (signal.aborted) throw error
      throw new CliError(`cannot list folder ${entry.path}: ${describeFileError(error)}`)
    }
    for (const image of listed) byPath.set(image.path, { path: image.path, relativePath: toRelative(root, image.path) })
  }
  const images = [...byPath.values()].sort((a, b) => compareCodePoints(a.relativePath, b.relativePath))
  return { root, images }
}

function commonFolder(folders: string[]): string {
  let common = folders[0]!.split(sep)
  for (const folder of folders.slice(1)) {
    const parts = folder.split(sep)
    let shared = 0
    while (shared < common.length && shared < parts.length && common[shared] === parts[shared]) shared++
    common = common.slice(0, shared)
  }
  return common.join(sep) || sep
}

function toRelative(root: string, path: string): string {
  return relative(root, path).split(sep).join('/')
}

async function openDetectorForCli(options: DetectArguments): Promise<Detector> {
  try {
    return await openDetector({
      modelPath: options.model,
      configPath: options.config,
      provider: options.provider,
      threads: options.threads,
      decodeCutoff: options.score,
      maxPixels: options.maxPixels,
    })
  } catch (error) {
    // Config and mismatch errors list their problems on further lines: keep them, they say what to fix.
    const message = error instanceof Error ? error.message : String(error)
    throw new CliError(`cannot load the model${options.model ? ` ${options.model}` : ''}: ${message}`)
  }
}

function describeModel(path: string, config: ModelConfig): string {
  const resize = config.input.resize
  const size =
    resize.mode === 'torchvision' ? `min ${resize.minSize} / max ${resize.maxSize}` : resize.mode === 'none' ? 'own size' : `${resize.width}×${resize.height} ${resize.mode}`
  return `model: ${path} (${config.preset ?? 'custom'}, ${config.classes.length} classes, input ${size})`
}


async function openWriter(options: DetectArguments, config: ModelConfig, root: string): Promise<CocoWriter> {
  const out = options.out === undefined ? undefined : resolveCommandLinePath(options.out, '--out')
  let sink
  try {
    sink = out ? await openFileSink(out) : streamSink(process.stdout)
  } catch (error) {
    throw new CliError(`cannot write ${options.out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  return options.format === 'coco'
    ? createCocoDatasetWriter(sink, config.classes, `detections for ${root}`)
    : createCocoResultsWriter(sink, config.classes)
}

interface RunSummary {
  images: number
  detections: number
  failures: { relativePath: string; error: string }[]
  seconds: number
}

async function detectAll(detector: Detector, images: ListedImage[], writer: CocoWriter, io: CliIo): Promise<RunSummary> {
  const ids = assignImageIds(images.map((image) => image.relativePath))
  const relativeOf = new Map(images.map((image) => [image.path, image.relativePath]))
  const progress = createProgressReporter(io.stderr, images.length)
  const summary: RunSummary = { images: images.length, detections: 0, failures: [], seconds: 0 }
  const started = performance.now()
  try {
    const results: AsyncIterable<ImageResult> = detector.detectFiles(
      images.map((image) => image.path),
      { signal: io.signal, onProgress: ({ done, failed }) => progress.update(done, failed) },
    )
    for await (const result of results) {
      const relativePath = relativeOf.get(result.path)!
      if (!result.ok) {
        summary.failures.push({ relativePath, error: result.error })
        progress.note(`failed: ${relativePath}: ${result.error}`)
        continue
      }
      summary.detections += result.detections.length
      await writer.addImage({ id: ids.get(relativePath)!, file_name: relativePath, width: result.width, height: result.height }, result.detections)
    }
  } finally {
    progress.finish()
  }
  summary.seconds = (performance.now() - started) / 1000
  return summary
}

function printSummary(stream: NodeJS.WriteStream, summary: RunSummary, out: string | undefined): void {
  const succeeded = summary.images - summary.failures.length
  const rate = summary.seconds > 0 ? (summary.images / summary.seconds).toFixed(1) : '-'
  stream.write(
    `done: ${succeeded} of ${countOf(summary.images, 'image')} in ${formatDuration(summary.seconds)} (${rate} images/s), ` +
      `${summary.detections} detections${out ? `, written to ${out}` : ''}\n`,
  )
  if (summary.failures.length === 0) return
  stream.write(`${summary.failures.length} image${summary.failures.length === 1 ? '' : 's'} failed:\n`)
  for (const failure of summary.failures.slice(0, SUMMARY_FAILURE_LINES)) stream.write(`  ${failure.relativePath}: ${failure.error}\n`)
  if (summary.failures.length > SUMMARY_FAILURE_LINES) stream.write(`  … and ${summary.failures.length - SUMMARY_FAILURE_LINES} more (listed above)\n`)
}
