/** The real CLI in a child process, on a folder of good and bad images. */
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const goldenImages = join(repoRoot, 'test/fixtures/golden/images')
const model = join(repoRoot, 'test/fixtures/models/tiny-concat.onnx')

interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

interface Dataset {
  images: { id: number; file_name: string; width: number; height: number }[]
  categories: { id: number; name: string }[]
  annotations: { id: number; image_id: number; category_id: number; bbox: number[]; area: number; iscrowd: number; score: number }[]
}
type Results = { image_id: number; category_id: number; bbox: number[]; score: number }[]

let folder: string
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'cli-detect-'))
  copyFileSync(join(goldenImages, 'landscape-320x256.png'), join(folder, 'b-landscape.png'))
  copyFileSync(join(goldenImages, 'downscaled-400x300.jpg'), join(folder, 'a-photo.jpg'))
  writeFileSync(join(folder, 'c-notes.jpg'), 'a text file with an image name\n')
  writeFileSync(join(folder, 'd-empty.png'), '')
  writeFileSync(join(folder, 'readme.txt'), 'not an image and not named like one\n')
  copyFileSync(join(goldenImages, 'portrait-256x320.png'), join(folder, '.hidden.png'))
  // An image without an image extension is found by its content.
  copyFileSync(join(goldenImages, 'portrait-256x320.png'), join(folder, 'e-portrait.dat'))
  mkdirSync(join(folder, 'sub'))
  copyFileSync(join(goldenImages, 'upscaled-150x200.png'), join(folder, 'sub', 'f-small.png'))
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('detect command', () => {
  let dataset: Dataset
  let results: Results
  let datasetRun: CliRun

  beforeAll(async () => {
    datasetRun = await runCli(['detect', folder, '--model', model, '--out', join(folder, 'out.json'), '--provider', 'cpu', '--threads', '1'])
    const resultsRun = await runCli(['detect', folder, '--model', model, '--out', join(folder, 'results.json'), '--format', 'coco-results', '--provider', 'cpu', '--threads', '1'])
    expect(resultsRun.code).toBe(0)
    dataset = JSON.parse(readFileSync(join(folder, 'out.json'), 'utf8')) as Dataset
    results = JSON.parse(readFileSync(join(folder, 'results.json'), 'utf8')) as Results
  }, 120_000)

  it('exits 0 although some images are bad, names the provider and lists each bad image', () => {
    expect(datasetRun.code).toBe(0)
    expect(datasetRun.stderr).toMatch(/^provider: CPU/m)
    expect(datasetRun.stderr).toMatch(/^failed: c-notes\.jpg: not a supported image/m)
    expect(datasetRun.stderr).toMatch(/^failed: d-empty\.png: the file is empty/m)
    expect(datasetRun.stderr).toMatch(/^done: 3 of 5 images/m)
    expect(datasetRun.stderr).toContain('2 images failed:')
    expect(datasetRun.stdout).toBe('')
  })

  it('writes a COCO dataset: sorted images with ids, displayed sizes, categories from the config', () => {
    // Ids come from the sorted list of all five files, so the failed ones leave gaps.
    expect(dataset.images).toEqual([
      { id: 1, file_name: 'a-photo.jpg', width: 400, height: 300 },
      { id: 2, file_name: 'b-landscape.png', width: 320, height: 256 },
      { id: 5, file_name: 'e-portrait.dat', width: 256, height: 320 },
    ])
    expect(dataset.categories.map((category) => [category.id, category.name])).toEqual([
      [1, 'circle'], [2, 'square'], [3, 'triangle'], [4, 'star'], [5, 'cross'],
    ])
    const imageIds = new Set(dataset.images.map((image) => image.id))
    const categoryIds = new Set(dataset.categories.map((category) => category.id))
    expect(dataset.annotations.length).toBeGreaterThan(0)
    dataset.annotations.forEach((annotation, index) => {
      expect(annotation.id).toBe(index + 1)
      expect(imageIds.has(annotation.image_id)).toBe(true)
      expect(categoryIds.has(annotation.category_id)).toBe(true)
      expect(annotation.iscrowd).toBe(0)
      expect(annotation.area).toBeCloseTo(annotation.bbox[2]! * annotation.bbox[3]!, 2)
    })
  })

  it('writes coco-results whose ids agree with the dataset file', () => {
    expect(results.length).toBe(dataset.annotations.length)
    const strip = ({ image_id, category_id, bbox, score }: Results[number]) => ({ image_id, category_id, bbox, score })
    expect(results).toEqual(dataset.annotations.map(strip))
  })

  it('--recursive includes sub-folders', async () => {
    const run = await runCli(['detect', folder, '--model', model, '--recursive', '--format', 'coco-results', '--provider', 'cpu'])
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^done: 4 of 6 images/m)
    const fromStdout = JSON.parse(run.stdout) as Results
    // sub/f-small.png sorts last among the six files.
    expect(fromStdout.some((result) => result.image_id === 6)).toBe(true)
  })
})

describe('fatal errors', () => {
  it('a missing model exits 1 with a one-line message and no stack trace', async () => {
    const run = await runCli(['detect', folder, '--model', join(folder, 'missing.onnx'), '--out', join(folder, 'never.json')])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error: cannot load the model .*missing\.onnx: model file not found: .*missing\.onnx\n$/)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('a config that does not fit the model exits 1 and says what does not match', async () => {
    const run = await runCli(['detect', folder, '--model', model, '--config', join(repoRoot, 'test/fixtures/models/tiny-odtk.json'), '--provider', 'cpu'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error: cannot load the model .*tiny-concat\.onnx: .*does not fit its config/m)
    expect(run.stderr).toMatch(/^ {2}- output: /m)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('an input that does not exist exits 1', async () => {
    const run = await runCli(['detect', join(folder, 'no-such-folder'), '--model', model])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error: cannot read .*no-such-folder: it does not exist\n$/)
  })

  it('a bad option value exits 2 and points to --help', async () => {
    const run = await runCli(['detect', folder, '--format', 'yolo'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--format must be one of coco, coco-results (got "yolo")')
    expect(run.stderr).toContain('detect --help')
  })

  it('--help prints the usage and exits 0', async () => {
    const run = await runCli(['detect', '--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Usage: detect <folder\|files\.\.\.> \[options\]/)
    expect(run.stdout).toContain('--format <coco|coco-results>')
  })
})
