/**
 * `project train` on a real project: the bundled samples with their ground truth imported and
 * marked reviewed, trained with the bundled model (one epoch) and with the tiny torchvision
 * fixture (which lacks the samples' "hexagon" and knows a "cross" the project never labels).
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModelConfig } from '../../../src-main/core/detect/config'
import { openDetector } from '../../../src-main/core/detect/detector'
import { openProjectFile } from '../../../src-main/core/jobs/project-file'
import { readHeadParameters } from '../../../src-main/core/training/head-parameters'
import { decodeWithHeads } from '../../../src-main/core/training/onnx/head-editing'
import { type ProjectTrainingOptions, trainingReportPath, trainProjectModel } from '../../../src-main/core/training/project-training'
import { TrainingCancelled } from '../../../src-main/core/training/train-heads'
import { runCli } from '../jobs/cli-child'
import { repoRoot } from '../jobs/project-fixture'

const samples = join(repoRoot, 'resources/samples')
const tinyModel = join(repoRoot, 'test/fixtures/models/tiny-concat.onnx')
const tinyConfig = join(repoRoot, 'test/fixtures/models/tiny-concat.json')
const FAST = { scales: [1], flip: true, batchSize: 4 }

let dir: string
let reviewedProject: string
let unreviewedProject: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'project-training-'))
  unreviewedProject = join(dir, 'unreviewed.rwproj')
  expect((await runCli(['project', 'create', unreviewedProject, samples])).code).toBe(0)
  reviewedProject = join(dir, 'reviewed.rwproj')
  copyFileSync(unreviewedProject, reviewedProject)
  const imported = await runCli(['project', 'import', reviewedProject, join(samples, 'ground-truth.json'), '--format', 'coco', '--reviewed', '--add-classes'])
  expect(imported.code, imported.stderr).toBe(0)
}, 60_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function train(projectFile: string, options: ProjectTrainingOptions) {
  const project = openProjectFile(projectFile)
  try {
    return await trainProjectModel(project, options)
  } finally {
    project.close()
  }
}

/** The model at `out` loads in the detector and processes a sample image. */
async function expectDetectsASample(out: string): Promise<void> {
  const detector = await openDetector({ modelPath: out, provider: 'cpu' })
  try {
    const results = []
    for await (const result of detector.detectFiles([join(samples, 'shapes-01.jpg')])) results.push(result)
    expect(results.map((result) => result.ok)).toEqual([true])
  } finally {
    await detector.close()
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe('project training', () => {
  it('fine-tunes the bundled model on the reviewed samples and writes a model detection loads', async () => {
    const out = join(dir, 'bundled-trained.onnx')
    const epochs: number[] = []
    const report = await train(reviewedProject, { out, settings: { ...FAST, epochs: 1 }, threads: 2, onEpoch: (r) => epochs.push(r.epoch) })
    expect(epochs).toEqual([1])
    expect(report.trainImages + report.heldOutImages).toBe(16)
    expect(report.heldOutImages).toBeGreaterThan(0)
    expect(report.labels).toBe(127)
    expect(report.newClasses).toEqual([])
    expect(report.heldOutBefore.ap50).toBeGreaterThan(0.5)
    expect(report.heldOutAfter.ap50).not.toBeNull()
    expect(JSON.parse(readFileSync(trainingReportPath(out), 'utf8')).labelsSha256).toBe(report.labelsSha256)
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false)

    const config = await loadModelConfig(report.config)
    expect(config.classes.map((c) => c.name)).toEqual(['circle', 'square', 'triangle', 'star', 'hexagon'])
    expect(config.labelThreshold.score).toBe(report.heldOutAfter.threshold)
    await expectDetectsASample(out)
  }, 240_000)

  it('adds the project classes the base model lacks and keeps the ones the project never labels as they were', async () => {
    const out = join(dir, 'tiny-trained.onnx')
    const report = await train(reviewedProject, { out, baseModelPath: tinyModel, baseConfigPath: tinyConfig, settings: { ...FAST, epochs: 1 }, threads: 1 })
    expect(report.newClasses).toEqual(['hexagon'])
    expect(report.classes).toEqual(['circle', 'square', 'triangle', 'star', 'cross', 'hexagon'])
    const config = await loadModelConfig(report.config)
    expect(config.numClasses).toBe(6)
    expect(config.classes[5]).toEqual({ index: 5, name: 'hexagon', categoryId: 6 })

    const base = decodeWithHeads(readFileSync(tinyModel), config.output)
    const trained = decodeWithHeads(readFileSync(out), config.output)
    expect(trained.heads.classCount).toBe(6)
    const before = readHeadParameters(base.model, base.heads)
    const after = readHeadParameters(trained.model, trained.heads)
    const kernel = base.heads.classification.inChannels * 9
    const cross = 4
    for (let a = 0; a < 9; a++) {
      const baseChannel = a * 5 + cross
      const trainedChannel = a * 6 + cross
      expect(after.classBias[trainedChannel]).toBe(before.classBias[baseChannel])
      expect(Array.from(after.classWeight.subarray(trainedChannel * kernel, (trainedChannel + 1) * kernel))).toEqual(
        Array.from(before.classWeight.subarray(baseChannel * kernel, (baseChannel + 1) * kernel)),
      )
      expect(after.classBias[a * 6]).not.toBe(before.classBias[a * 5]) // circle learned
    }
  }, 240_000)

  it("trains torchvision's R50-FPN RetinaNet on the samples: 256-channel heads on five levels, a class added", async () => {
    const out = join(dir, 'r50-trained.onnx')
    const r50 = { model: join(repoRoot, 'test/fixtures/models/r50-fpn-generated.onnx'), config: join(repoRoot, 'test/fixtures/models/r50-fpn-generated.json') }
    const epochs: number[] = []
    const report = await train(reviewedProject, {
      out,
      baseModelPath: r50.model,
      baseConfigPath: r50.config,
      settings: { ...FAST, epochs: 1 },
      threads: 2,
      onEpoch: (result) => epochs.push(result.epoch),
    })
    expect(epochs).toEqual([1])
    expect(report.newClasses).toEqual(['hexagon'])
    expect(report.classes).toEqual(['circle', 'square', 'triangle', 'star', 'cross', 'hexagon'])
    const trained = decodeWithHeads(readFileSync(out), (await loadModelConfig(report.config)).output)
    expect(trained.heads.classification.inChannels).toBe(256)
    expect(trained.heads.classification.levels).toHaveLength(5)
    expect(trained.heads.classCount).toBe(6)
    await expectDetectsASample(out)
  }, 300_000)

  it('continues an interrupted run from its last epoch to exactly the model a straight run writes', async () => {
    const settings = { ...FAST, epochs: 2 }
    const common = { baseModelPath: tinyModel, baseConfigPath: tinyConfig, settings, threads: 1 }
    const straight = join(dir, 'straight.onnx')
    await train(reviewedProject, { ...common, out: straight })

    const interrupted = join(dir, 'interrupted.onnx')
    const controller = new AbortController()
    await expect(train(reviewedProject, { ...common, out: interrupted, signal: controller.signal, onEpoch: () => controller.abort() })).rejects.toThrow(
      TrainingCancelled,
    )
    expect(existsSync(`${interrupted}.checkpoint.json`)).toBe(true)
    expect(existsSync(interrupted)).toBe(false)
    const resumed = await train(reviewedProject, { ...common, out: interrupted })
    expect(resumed.resumedAfterEpoch).toBe(1)
    expect(resumed.history.map((epoch) => epoch.epoch)).toEqual([1, 2])
    expect(sha256(interrupted)).toBe(sha256(straight))
  }, 300_000)

  it('refuses what cannot be taught, with the reason, and leaves the project file unchanged', async () => {
    const before = sha256(unreviewedProject)
    await expect(train(unreviewedProject, { out: join(dir, 'none.onnx') })).rejects.toThrow(/no reviewed images/)
    expect(sha256(unreviewedProject)).toBe(before)
    await expect(train(reviewedProject, { out: join(dir, 'model.bin') })).rejects.toThrow(/must end in \.onnx/)
    await expect(
      train(reviewedProject, {
        out: join(dir, 'e2e.onnx'),
        baseModelPath: join(repoRoot, 'test/fixtures/models/tiny-end-to-end.onnx'),
        baseConfigPath: join(repoRoot, 'test/fixtures/models/tiny-end-to-end.json'),
      }),
    ).rejects.toThrow(/raw head outputs/)
    expect(existsSync(join(dir, 'e2e.onnx'))).toBe(false)
  }, 120_000)
})
