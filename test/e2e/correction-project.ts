import { basename, join } from 'node:path'
import sharp from 'sharp'
import type { Page } from 'playwright-core'
import { ensureClassesByName } from '../../src-main/core/db/classes-repository'
import { openDatabase } from '../../src-main/core/db/connection'
import { recordImageResults } from '../../src-main/core/db/detections-repository'
import { createRun, finishRun } from '../../src-main/core/db/runs-repository'
import type { Box } from '../../src-shared/geometry/box'
import { apiCall } from './editor-page'
import { byTestId, createProject } from './workbench-page'

/**
 * A small project with fixed labels and suggestions, written without a model: generated
 * images, then one finished run whose detections at 0.5 or above became labels and whose
 * others are suggestions. The stacked-boxes e2e test and the correction benchmark use it.
 */

export const SCENE_CLASSES = ['circle', 'square', 'triangle'] as const
export type SceneClass = (typeof SCENE_CLASSES)[number]

export interface SceneDetection {
  /** What the scripts call it. */
  name: string
  className: SceneClass
  score: number
  box: Box
}

export const SCENE_SIZE = { width: 640, height: 480 }

/**
 * Every image of the scene and its detections. The label threshold is the fallback 0.5 (the
 * run's config names no operating point): "nested-circle" stays a suggestion inside the
 * "square" label, as a model that sees a circle on a box would leave it.
 */
export const SCENE: Record<string, SceneDetection[]> = {
  'a-to-correct.png': [
    { name: 'square', className: 'square', score: 0.51, box: [100, 100, 300, 300] },
    { name: 'nested-circle', className: 'circle', score: 0.36, box: [150, 150, 250, 250] },
    { name: 'wrong-class', className: 'triangle', score: 0.92, box: [380, 60, 500, 180] },
    { name: 'false-positive', className: 'circle', score: 0.81, box: [520, 300, 600, 380] },
    { name: 'misplaced', className: 'square', score: 0.77, box: [80, 340, 200, 440] },
  ],
  'b-nothing-to-correct.png': [
    { name: 'good-square', className: 'square', score: 0.9, box: [50, 50, 150, 150] },
    { name: 'good-circle', className: 'circle', score: 0.85, box: [300, 200, 400, 300] },
  ],
}

const LABEL_THRESHOLD = 0.5

export interface SeededProject {
  projectFile: string
  imageIds: Record<string, number>
  classIds: Record<SceneClass, number>
}

/** A plain image with a darker band, so the boxes sit on more than one background. */
async function writeSceneImage(path: string, index: number): Promise<void> {
  const { width, height } = SCENE_SIZE
  const pixels = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3
      const band = y > height / 2 ? 0.5 : 1
      pixels[at] = Math.round((120 + index * 40) * band)
      pixels[at + 1] = Math.round(150 * band)
      pixels[at + 2] = Math.round(((x * 255) / width) * band)
    }
  }
  await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toFile(path)
}

/**
 * Writes the scene's images into `folder` (an empty folder), creates the project there through
 * the start view, records the run straight into the project file, and reloads the page so it
 * reads them. Leaves the page on the project view.
 */
export function seedCorrectionProject(page: Page, folder: string): Promise<SeededProject> {
  return seedSceneProject(page, folder, SCENE)
}

/** The same for any scene: image names and each one's detections. */
export async function seedSceneProject(page: Page, folder: string, scene: Record<string, SceneDetection[]>): Promise<SeededProject> {
  const names = Object.keys(scene).sort()
  await Promise.all(names.map((name, index) => writeSceneImage(join(folder, name), index)))
  await createProject(page, folder)
  const projectFile = join(folder, `${basename(folder)}.rwproj`)
  const images = await apiCall<{ items: { id: number; relativePath: string }[] }>(page, 'images.grid', { offset: 0, limit: 100 })
  const imageIds = Object.fromEntries(images.items.map((image) => [image.relativePath, image.id]))
  const missing = names.filter((name) => imageIds[name] === undefined)
  if (missing.length > 0) throw new Error(`The project did not list ${missing.join(', ')}`)

  const now = new Date().toISOString()
  const db = openDatabase(projectFile, { mustExist: true })
  let classIds: Record<SceneClass, number>
  try {
    const ids = ensureClassesByName(db, SCENE_CLASSES, now)
    classIds = Object.fromEntries(SCENE_CLASSES.map((name) => [name, ids.get(name)!])) as Record<SceneClass, number>
    const runId = createRun(db, {
      modelPath: '/models/shapes.onnx',
      modelSha256: '0'.repeat(64),
      modelConfig: { preset: 'scene', classes: SCENE_CLASSES },
      providerRequested: 'cpu',
      decodeCutoff: 0.1,
      scope: 'all',
      labels: SCENE_CLASSES.map((name, labelIndex) => ({ labelIndex, classId: classIds[name] })),
      startedAt: now,
    })
    const results = names.map((name) => ({
      imageId: imageIds[name]!,
      state: 'done' as const,
      detections: scene[name]!.map((detection) => ({
        classIndex: SCENE_CLASSES.indexOf(detection.className),
        score: detection.score,
        box: detection.box,
      })),
    }))
    recordImageResults(db, runId, results, now)
    finishRun(db, runId, { state: 'done', finishedAt: now })
  } finally {
    db.close()
  }
  await page.reload()
  await byTestId(page, 'project-view').waitFor()
  return { projectFile, imageIds, classIds }
}

/** The scene's detections of one image that became labels, and those left as suggestions. */
export function sceneSplit(imageName: string): { labels: SceneDetection[]; suggestions: SceneDetection[] } {
  const detections = SCENE[imageName] ?? []
  return {
    labels: detections.filter((detection) => detection.score >= LABEL_THRESHOLD),
    suggestions: detections.filter((detection) => detection.score < LABEL_THRESHOLD),
  }
}

/** Opens an image of the grid by file name and waits for its labels. */
export async function openSceneImage(page: Page, name: string, imageId: number): Promise<void> {
  if ((await byTestId(page, 'image-view').count()) > 0) await byTestId(page, 'back-to-grid').click()
  await page.locator(`[data-testid="image-tile"][title="${name}"]`).click()
  await page.locator(`[data-testid="image-stage"][data-image-id="${imageId}"][data-image-width][data-labels]`).waitFor()
}
