/**
 * `project eval` end to end: a project over some of the bundled samples, a detection run with
 * the bundled model, some images marked reviewed with their labels corrected to the samples'
 * ground truth, then the real CLI in a child process.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../src-main/core/db/annotations-repository'
import { listClasses, mergeClass } from '../../src-main/core/db/classes-repository'
import { listDetections } from '../../src-main/core/db/detections-repository'
import { changeLabelThresholds } from '../../src-main/core/db/label-derivation'
import { applyLabelChanges } from '../../src-main/core/db/edit-log-repository'
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
  effort: {
    detections: { kept: number; deleted: number; moved: number }
    labelsAddedByHand: number
    editedImages: number
    edits: number
    editSpanSeconds: { median: number | null; total: number }
  }
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

/**
 * Marks the images reviewed and, through the edit log as the editor does, replaces the labels of
 * CORRECTED with the samples' ground truth: one gesture deleting the run's labels, one drawing
 * the true boxes 30 s later. Returns what the effort figures should say.
 */
function reviewImages(): { deletedDetections: number; drawn: number; editSpans: number[] } {
  const truth = JSON.parse(readFileSync(join(samples, 'ground-truth.json'), 'utf8')) as GroundTruthFile
  return withDatabase(projectFile, (db) => {
    const classIdByName = new Map(listClasses(db).map((entry) => [entry.name, entry.id]))
    const start = Date.parse('2026-01-01T10:00:00Z')
    // Every detection the run kept becomes a label, so each corrected image has model labels to delete.
    changeLabelThresholds(db, { score: 0.05, perClass: new Map() }, new Date(start).toISOString())
    let deletedDetections = 0
    let drawn = 0
    /** Seconds between each corrected image's first and last edit: 30 when it had labels to delete first, else 0. */
    const editSpans: number[] = []
    for (const file of CORRECTED) {
      const imageId = findImageByPath(db, file)!.id
      const labels = listAnnotations(db, imageId)
      deletedDetections += labels.filter((label) => label.origin === 'detection').length
      editSpans.push(labels.length > 0 ? 30 : 0)
      if (labels.length > 0) applyLabelChanges(db, imageId, 'delete boxes', labels.map((label) => ({ op: 'delete', annotationId: label.id })), new Date(start).toISOString())
      const sampleId = truth.images.find((image) => image.file_name === file)!.id
      const boxes = truth.annotations.filter((a) => a.image_id === sampleId)
      const created = boxes.map((annotation) => {
        const name = truth.categories.find((c) => c.id === annotation.category_id)!.name
        return { op: 'create' as const, state: { classId: classIdByName.get(name)!, box: fromXywh(annotation.bbox) } }
      })
      applyLabelChanges(db, imageId, 'draw boxes', created, new Date(start + 30_000).toISOString())
      drawn += boxes.length
      setImageReviewed(db, imageId, true, new Date(start + 60_000).toISOString())
    }
    setImageReviewed(db, findImageByPath(db, REVIEWED_AS_IS)!.id, true, new Date(start).toISOString())
    return { deletedDetections, drawn, editSpans }
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
    const corrections = reviewImages()
    const result = await runCli(['project', 'eval', projectFile, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout) as EvalJson
    expect(report.run.id).toBe(1)
    expect(report.images).toBe(4)
    expect(report.reviewedImagesWithoutResult).toBe(0)
    expect(Object.keys(report.summary)).toEqual([...SUMMARY_KEYS])
    const expected = expectedSummary(1)
    for (const key of SUMMARY_KEYS) expect(report.summary[key], key).toBeCloseTo(expected[key]!, 12)
    // The bundled model finds most shapes on these corrected images, not all (MODEL_CARD.md).
    expect(report.summary.AP50).toBeGreaterThan(0.2)
    expect(report.summary.AP50).toBeLessThan(1)

    expect(report.perClass.map((entry) => entry.name)).toEqual(['circle', 'square', 'triangle', 'star', 'hexagon'])
    // The project's own label threshold (set in reviewImages) comes before the model's operating point.
    expect(report.perClass.every((entry) => entry.labelThreshold === 0.05)).toBe(true)
    const { rows, columns, counts } = report.confusion
    expect(rows).toEqual(['circle', 'square', 'triangle', 'star', 'hexagon', 'background'])
    expect(columns).toEqual(['circle', 'square', 'triangle', 'star', 'hexagon', 'missed'])
    report.perClass.forEach((entry, k) => {
      // Every label of a class is either found (by its class or another) or missed.
      expect(counts[k]!.reduce((sum, count) => sum + count, 0)).toBe(entry.labels)
      expect(counts[k]![k]).toBe(entry.truePositives)
    })
    expect(report.operatingPoint.truePositives).toBe(report.perClass.reduce((sum, entry) => sum + entry.truePositives, 0))

    expect(corrections.deletedDetections).toBeGreaterThan(0)
    expect(report.effort).toMatchObject({
      detections: { deleted: corrections.deletedDetections, moved: 0 },
      labelsAddedByHand: corrections.drawn,
      editedImages: CORRECTED.length,
      edits: CORRECTED.length + corrections.editSpans.filter((span) => span > 0).length,
      editSpanSeconds: {
        median: [...corrections.editSpans].sort((a, b) => a - b)[Math.floor(CORRECTED.length / 2)],
        total: corrections.editSpans.reduce((sum, span) => sum + span, 0),
      },
    })
    expect(report.effort.detections.kept).toBeGreaterThan(0) // the image reviewed as the run labelled it

    const text = await runCli(['project', 'eval', projectFile])
    expect(text.code).toBe(0)
    const summaryLines = text.stdout.split('\n').filter((line) => line.startsWith(' Average '))
    expect(summaryLines).toHaveLength(12)
    expect(summaryLines[0]).toBe(` Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = ${report.summary.AP!.toFixed(3)}`)
    expect(summaryLines[8]).toBe(` Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = ${report.summary.AR100!.toFixed(3)}`)
    expect(text.stdout).toMatch(/^ {2}circle +\d\.\d{4} \d\.\d{4} /m)
    expect(text.stdout).toMatch(new RegExp(`deleted ${corrections.deletedDetections},.*; ${corrections.drawn} labels drawn by hand; 6 edits on 3 images, first to last edit 30 s per image`))
  }, 60_000)

  it('reads precision and recall at a label threshold given on the command line', async () => {
    const low = JSON.parse((await runCli(['project', 'eval', projectFile, '--json', '--label-threshold', '0.05'])).stdout) as EvalJson
    const high = JSON.parse((await runCli(['project', 'eval', projectFile, '--json', '--label-threshold', '0.9'])).stdout) as EvalJson
    expect(low.operatingPoint.truePositives).toBeGreaterThanOrEqual(high.operatingPoint.truePositives)
    expect(low.summary).toEqual(high.summary) // AP does not depend on the label threshold
  }, 60_000)

  it('compares two runs side by side on the same reviewed images', async () => {
    const rerun = await runCli(['project', 'detect', projectFile, '--provider', 'cpu', '--all', '--score', '0.3'])
    expect(rerun.code, rerun.stderr).toBe(0)
    const single = async (run: string) => JSON.parse((await runCli(['project', 'eval', projectFile, '--json', '--run', run])).stdout) as EvalJson
    const [first, second] = [await single('1'), await single('2')]
    const result = await runCli(['project', 'eval', projectFile, '--json', '--run', '1', '--compare', '2'])
    expect(result.code, result.stderr).toBe(0)
    const comparison = JSON.parse(result.stdout) as { images: number; runs: { run: { id: number }; summary: Record<string, number>; perClass: { AP: number | null }[] }[] }
    expect(comparison.images).toBe(4)
    expect(comparison.runs.map((entry) => entry.run.id)).toEqual([1, 2])
    expect(comparison.runs[0]!.summary).toEqual(first.summary)
    expect(comparison.runs[1]!.summary).toEqual(second.summary)
    expect(comparison.runs[1]!.perClass.map((entry) => entry.AP)).toEqual(second.perClass.map((entry) => entry.AP))
    // The second run keeps only detections scoring 0.3 or more: it cannot recall more.
    expect(second.summary.AR100!).toBeLessThanOrEqual(first.summary.AR100!)

    const text = await runCli(['project', 'eval', projectFile, '--run', '1', '--compare', '2'])
    expect(text.stdout).toMatch(/^run #1 .* \| run #2 .* on the same 4 reviewed images$/m)
    expect(text.stdout).toContain(` Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = ${first.summary.AP!.toFixed(3)} | ${second.summary.AP!.toFixed(3)}`)
  }, 120_000)

  it('reads the detections and labels of a merged class as the class it went into', async () => {
    const before = JSON.parse((await runCli(['project', 'eval', projectFile, '--json', '--run', '1'])).stdout) as EvalJson
    withDatabase(projectFile, (db) => {
      const ids = new Map(listClasses(db).map((entry) => [entry.name, entry.id]))
      mergeClass(db, ids.get('hexagon')!, ids.get('circle')!)
    })
    const result = await runCli(['project', 'eval', projectFile, '--json', '--run', '1'])
    expect(result.code, result.stderr).toBe(0)
    const after = JSON.parse(result.stdout) as EvalJson
    expect(after.perClass.map((entry) => entry.name)).toEqual(['circle', 'square', 'triangle', 'star'])
    const labelsOf = (report: EvalJson, name: string) => report.perClass.find((entry) => entry.name === name)!.labels
    expect(labelsOf(after, 'circle')).toBe(labelsOf(before, 'circle') + labelsOf(before, 'hexagon'))
    expect(labelsOf(after, 'star')).toBe(labelsOf(before, 'star'))
  }, 60_000)

  it('refuses a run the project does not have', async () => {
    const result = await runCli(['project', 'eval', projectFile, '--run', '7'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/This project has no run #7; its runs are #2, #1\./)
  })
})
