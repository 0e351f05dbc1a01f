/**
 * `project eval` end to end: a project over some of the bundled samples, a detection run with
 * the bundled model, some images marked reviewed with their labels corrected to the samples'
 * ground truth, then the real CLI in a child process.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertAnnotation, listAnnotations, softDeleteAnnotation } from '../../src-main/core/db/annotations-repository'
import { listClasses } from '../../src-main/core/db/classes-repository'
import { listDetections } from '../../src-main/core/db/detections-repository'
import { setImageReviewed } from '../../src-main/core/db/image-status'
import { findImageByPath } from '../../src-main/core/db/images-repository'
import { readCocoEvaluationFiles } from '../../src-main/core/metrics/coco-files'
import { evaluateCoco } from '../../src-main/core/metrics/coco-evaluation'
import { SUMMARY_KEYS } from '../../src-main/core/metrics/coco-statistics'
import { fromXywh, toXywh, type BoxXywh } from '../../src-shared/geometry/box'
import { runCli } from './jobs/cli-child'
import { repoRoot, withDatabase } from './jobs/project-fixture'

const samples = join(repoRoot, 'resources/samples')
const SAMPLE_FILES = ['shapes-01.jpg', 'shapes-02.jpg', 'shapes-03.jpg', 'shapes-04.jpg', 'shapes-05.jpg', 'shapes-06.jpg']
const CORRECTED = SAMPLE_FILES.slice(0, 3) // reviewed, labels replaced by the samples' ground truth
const REVIEWED_AS_IS = SAMPLE_FILES[3]! // reviewed, labels left as the run made them

interface GroundTruthFile {
  images: { id: number; file_name: string }[]
  annotations: { image_id: number; category_id: number; bbox: BoxXywh }[]
  categories: { id: number; name: string }[]
}

interface EvalJson {
  images: number
  run: { id: number }
  reviewedImagesWithoutResult: number
  summary: Record<string, number>
  operatingPoint: { truePositives: number; falsePositives: number; falseNegatives: number }
  perClass: { id: number; name: string; AP: number | null; AP50: number | null; labels: number; truePositives: number; falseNegatives: number; labelThreshold: number }[]
  confusion: { rows: string[]; columns: string[]; counts: number[][]; imageIds: number[][][] }
}

let dir: string
let projectFile: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-project-eval-'))
  const imageFolder = join(dir, 'images')
  mkdirSync(imageFolder)
  for (const file of SAMPLE_FILES) copyFileSync(join(samples, file), join(imageFolder, file))
  projectFile = join(dir, 'samples.rwproj')
  expect((await runCli(['project', 'create', projectFile, imageFolder])).code).toBe(0)
  const detected = await runCli(['project', 'detect', projectFile, '--provider', 'cpu'])
  expect(detected.code, detected.stderr).toBe(0)
}, 180_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Marks the images reviewed and replaces the labels of CORRECTED with the samples' ground truth. */
function reviewImages(): void {
  const truth = JSON.parse(readFileSync(join(samples, 'ground-truth.json'), 'utf8')) as GroundTruthFile
  withDatabase(projectFile, (db) => {
    const classIdByName = new Map(listClasses(db).map((entry) => [entry.name, entry.id]))
    const now = new Date().toISOString()
    for (const file of CORRECTED) {
      const imageId = findImageByPath(db, file)!.id
      for (const label of listAnnotations(db, imageId)) softDeleteAnnotation(db, label.id, now)
      const sampleId = truth.images.find((image) => image.file_name === file)!.id
      for (const annotation of truth.annotations.filter((a) => a.image_id === sampleId)) {
        const name = truth.categories.find((c) => c.id === annotation.category_id)!.name
        insertAnnotation(db, imageId, { classId: classIdByName.get(name)!, box: fromXywh(annotation.bbox) }, { origin: 'manual' }, now)
      }
      setImageReviewed(db, imageId, true, now)
    }
    setImageReviewed(db, findImageByPath(db, REVIEWED_AS_IS)!.id, true, now)
  })
}

/** The same evaluation computed from the project's rows through the COCO file reader, independently of the CLI's query. */
function expectedSummary(runId: number): Record<string, number> {
  return withDatabase(projectFile, (db) => {
    const imageIds = [...CORRECTED, REVIEWED_AS_IS].map((file) => findImageByPath(db, file)!.id)
    const groundTruth = {
      images: imageIds.map((id) => ({ id })),
      annotations: imageIds.flatMap((imageId) => listAnnotations(db, imageId).map((a) => ({ image_id: imageId, category_id: a.classId, bbox: toXywh(a.box) }))),
      categories: listClasses(db).map((entry) => ({ id: entry.id, name: entry.name })),
    }
    const results = imageIds.flatMap((imageId) => listDetections(db, runId, imageId).map((d) => ({ image_id: imageId, category_id: d.classId, bbox: toXywh(d.box), score: d.score })))
    return evaluateCoco(readCocoEvaluationFiles(groundTruth, results).input).summary
  })
}

describe('project eval', () => {
  it('says what to do when no image is reviewed yet', async () => {
    const result = await runCli(['project', 'eval', projectFile])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/No reviewed image to score run #1 on: mark images reviewed/)
  })

  it('scores the latest run against the reviewed labels, as JSON and in pycocotools’ layout', async () => {
    reviewImages()
    const result = await runCli(['project', 'eval', projectFile, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout) as EvalJson
    expect(report.run.id).toBe(1)
    expect(report.images).toBe(4)
    expect(report.reviewedImagesWithoutResult).toBe(0)
    expect(Object.keys(report.summary)).toEqual([...SUMMARY_KEYS])
    const expected = expectedSummary(1)
    for (const key of SUMMARY_KEYS) expect(report.summary[key], key).toBeCloseTo(expected[key]!, 12)
    // The undertrained bundled model finds some shapes, not all (MODEL_CARD.md).
    expect(report.summary.AP50).toBeGreaterThan(0.2)
    expect(report.summary.AP50).toBeLessThan(1)

    expect(report.perClass.map((entry) => entry.name)).toEqual(['circle', 'square', 'triangle', 'star', 'hexagon'])
    expect(report.perClass.every((entry) => entry.labelThreshold === 0.5)).toBe(true)
    const { rows, columns, counts } = report.confusion
    expect(rows).toEqual(['circle', 'square', 'triangle', 'star', 'hexagon', 'background'])
    expect(columns).toEqual(['circle', 'square', 'triangle', 'star', 'hexagon', 'missed'])
    report.perClass.forEach((entry, k) => {
      // Every label of a class is either found (by its class or another) or missed.
      expect(counts[k]!.reduce((sum, count) => sum + count, 0)).toBe(entry.labels)
      expect(counts[k]![k]).toBe(entry.truePositives)
    })
    expect(report.operatingPoint.truePositives).toBe(report.perClass.reduce((sum, entry) => sum + entry.truePositives, 0))

    const text = await runCli(['project', 'eval', projectFile])
    expect(text.code).toBe(0)
    const summaryLines = text.stdout.split('\n').filter((line) => line.startsWith(' Average '))
    expect(summaryLines).toHaveLength(12)
    expect(summaryLines[0]).toBe(` Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = ${report.summary.AP!.toFixed(3)}`)
    expect(summaryLines[8]).toBe(` Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = ${report.summary.AR100!.toFixed(3)}`)
    expect(text.stdout).toMatch(/^ {2}circle +\d\.\d{4} \d\.\d{4} /m)
  }, 60_000)

  it('reads precision and recall at a label threshold given on the command line', async () => {
    const low = JSON.parse((await runCli(['project', 'eval', projectFile, '--json', '--label-threshold', '0.05'])).stdout) as EvalJson
    const high = JSON.parse((await runCli(['project', 'eval', projectFile, '--json', '--label-threshold', '0.9'])).stdout) as EvalJson
    expect(low.operatingPoint.truePositives).toBeGreaterThanOrEqual(high.operatingPoint.truePositives)
    expect(low.summary).toEqual(high.summary) // AP does not depend on the label threshold
  }, 60_000)

  it('refuses a run the project does not have', async () => {
    const result = await runCli(['project', 'eval', projectFile, '--run', '7'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/This project has no run #7; its runs are #1\./)
  })
})
