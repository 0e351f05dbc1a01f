/**
 * Training on projects a labeler could really have: one class only, boxes under a pixel, or
 * reviewed images with nothing labelled. Each either trains to a model with finite weights or is
 * refused with its reason, and the project file is left as it was.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/connection'
import { loadModelConfig } from '../../../src-main/core/detect/config'
import { openProjectFile } from '../../../src-main/core/jobs/project-file'
import { readHeadParameters } from '../../../src-main/core/training/head-parameters'
import { decodeWithHeads } from '../../../src-main/core/training/onnx/head-editing'
import { trainProjectModel } from '../../../src-main/core/training/project-training'
import { runCli } from '../jobs/cli-child'
import { repoRoot } from '../jobs/project-fixture'

const tinyModel = join(repoRoot, 'test/fixtures/models/tiny-concat.onnx')
const tinyConfig = join(repoRoot, 'test/fixtures/models/tiny-concat.json')
const SETTINGS = { scales: [1], flip: false, batchSize: 4, epochs: 1 }
const IMAGES = Array.from({ length: 8 }, (_, index) => `scene-${index}.png`)

let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-training-'))
  const images = join(dir, 'images')
  mkdirSync(images)
  await Promise.all(
    IMAGES.map((name, index) =>
      sharp({ create: { width: 96, height: 72, channels: 3, background: { r: 30 * index, g: 120, b: 200 - 20 * index } } })
        .png()
        .toFile(join(images, name)),
    ),
  )
}, 60_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

/** A project over the images with these COCO boxes ([x, y, w, h] by category name) imported as reviewed. */
async function projectWith(name: string, boxes: (imageIndex: number) => Array<{ category: string; bbox: number[] }>): Promise<string> {
  const projectFile = join(dir, `${name}.rwproj`)
  expect((await runCli(['project', 'create', projectFile, join(dir, 'images')])).code).toBe(0)
  const categories = [...new Set(IMAGES.flatMap((_, index) => boxes(index).map((box) => box.category)))]
  const coco = {
    images: IMAGES.map((file_name, index) => ({ id: index + 1, file_name, width: 96, height: 72 })),
    categories: (categories.length > 0 ? categories : ['circle']).map((category, index) => ({ id: index + 1, name: category })),
    annotations: IMAGES.flatMap((_, index) =>
      boxes(index).map((box, k) => ({
        id: index * 100 + k + 1,
        image_id: index + 1,
        category_id: categories.indexOf(box.category) + 1,
        bbox: box.bbox,
        area: box.bbox[2]! * box.bbox[3]!,
        iscrowd: 0,
      })),
    ),
  }
  const cocoFile = join(dir, `${name}.json`)
  writeFileSync(cocoFile, JSON.stringify(coco))
  const imported = await runCli(['project', 'import', projectFile, cocoFile, '--format', 'coco', '--reviewed', '--add-classes'])
  expect(imported.code, imported.stderr).toBe(0)
  return projectFile
}

async function train(projectFile: string, out: string) {
  const project = openProjectFile(projectFile)
  try {
    return await trainProjectModel(project, { out, baseModelPath: tinyModel, baseConfigPath: tinyConfig, settings: SETTINGS, threads: 1 })
  } finally {
    project.close()
  }
}

async function expectFiniteHeads(out: string, configPath: string): Promise<void> {
  const config = await loadModelConfig(configPath)
  const trained = decodeWithHeads(readFileSync(out), config.output)
  const parameters = readHeadParameters(trained.model, trained.heads)
  for (const values of Object.values(parameters)) expect((values as Float32Array).every(Number.isFinite)).toBe(true)
}

describe('training on hostile projects', () => {
  it('trains a project of one class, keeping the classes it never labels', async () => {
    const projectFile = await projectWith('one-class', (index) => [{ category: 'square', bbox: [10 + index, 10, 30, 30] }])
    const report = await train(projectFile, join(dir, 'one-class.onnx'))
    expect(report.classes).toEqual(['circle', 'square', 'triangle', 'star', 'cross'])
    expect(report.newClasses).toEqual([])
    await expectFiniteHeads(join(dir, 'one-class.onnx'), report.config)
  }, 120_000)

  it('trains with boxes under a pixel wide or high, even of no width at all, to finite weights', async () => {
    const projectFile = await projectWith('tiny-boxes', () => [
      { category: 'circle', bbox: [50, 30, 20, 20] },
      { category: 'square', bbox: [5, 5, 40, 40] },
    ])
    // Imports and edits refuse such boxes; an older project or another writer may still hold them.
    const db = openDatabase(projectFile, { mustExist: true })
    try {
      const circle = db.prepare("SELECT id FROM classes WHERE name = 'circle'").pluck().get() as number
      const insert = db.prepare(
        `INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'import', 't', 't')`,
      )
      for (const imageId of db.prepare('SELECT id FROM images').pluck().all() as number[]) {
        insert.run(imageId, circle, 20, 20, 20.4, 20.3)
        insert.run(imageId, circle, 60, 10, 60, 35)
      }
    } finally {
      db.close()
    }
    const report = await train(projectFile, join(dir, 'tiny-boxes.onnx'))
    expect(report.labels).toBe(IMAGES.length * 4)
    expect(report.history.every((epoch) => Number.isFinite(epoch.train.classification) && Number.isFinite(epoch.train.boxRegression))).toBe(true)
    await expectFiniteHeads(join(dir, 'tiny-boxes.onnx'), report.config)
  }, 120_000)

  it('refuses reviewed images with nothing labelled, with the reason, and changes nothing', async () => {
    const projectFile = await projectWith('negatives', () => [])
    const before = sha256(projectFile)
    await expect(train(projectFile, join(dir, 'negatives.onnx'))).rejects.toThrow(/have no labels/)
    expect(existsSync(join(dir, 'negatives.onnx'))).toBe(false)
    expect(sha256(projectFile)).toBe(before)
  }, 120_000)
})
