/**
 * `project eval --folder`: only the reviewed images inside a folder of the image root, matched
 * on whole path segments ("site_a" holds neither "site_a2/…" nor, as a LIKE pattern would,
 * "siteXa/…"). The bundled samples in sub-folders, a real run with the bundled model, the real
 * CLI in a child process.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../src-main/core/db/annotations-repository'
import { listClasses } from '../../src-main/core/db/classes-repository'
import { listDetections } from '../../src-main/core/db/detections-repository'
import { applyLabelChanges } from '../../src-main/core/db/edit-log-repository'
import { setImageReviewed } from '../../src-main/core/db/image-status'
import { findImageByPath } from '../../src-main/core/db/images-repository'
import { evaluateCoco } from '../../src-main/core/metrics/coco-evaluation'
import { readCocoEvaluationFiles } from '../../src-main/core/metrics/coco-files'
import { SUMMARY_KEYS } from '../../src-main/core/metrics/coco-statistics'
import { toXywh } from '../../src-shared/geometry/box'
import { runCli } from './jobs/cli-child'
import { repoRoot, withDatabase } from './jobs/project-fixture'

const samples = join(repoRoot, 'resources/samples')
const LAYOUT: Record<string, string> = {
  'site_a/shapes-01.jpg': 'shapes-01.jpg',
  'site_a/day 2/shapes-02.jpg': 'shapes-02.jpg',
  'siteXa/shapes-03.jpg': 'shapes-03.jpg',
  'site_a2/shapes-04.jpg': 'shapes-04.jpg',
  'shapes-05.jpg': 'shapes-05.jpg',
}
const IN_SITE_A = ['site_a/shapes-01.jpg', 'site_a/day 2/shapes-02.jpg']

interface EvalJson {
  images: number
  folder?: string
  summary: Record<string, number>
  perClass: { labels: number }[]
  effort: { labelsAddedByHand: number; editedImages: number }
}

let dir: string
let projectFile: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-project-eval-folder-'))
  const imageFolder = join(dir, 'images')
  for (const [target, source] of Object.entries(LAYOUT)) {
    mkdirSync(dirname(join(imageFolder, target)), { recursive: true })
    copyFileSync(join(samples, source), join(imageFolder, target))
  }
  projectFile = join(dir, 'folders.rwproj')
  expect((await runCli(['project', 'create', projectFile, imageFolder])).code).toBe(0)
  const detected = await runCli(['project', 'detect', projectFile, '--provider', 'cpu'])
  expect(detected.code, detected.stderr).toBe(0)
  withDatabase(projectFile, (db) => {
    const classId = listClasses(db)[0]!.id
    for (const path of Object.keys(LAYOUT)) {
      const imageId = findImageByPath(db, path)!.id
      // A box drawn by hand on every image: a label no detection finds.
      applyLabelChanges(db, imageId, 'draw', [{ op: 'create', state: { classId, box: [1, 1, 9, 9] } }], '2026-01-01T10:00:00.000Z')
      setImageReviewed(db, imageId, true, '2026-01-01T10:01:00.000Z')
    }
  })
}, 180_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The summary of the run on these images, through the COCO file reader instead of the CLI's query. */
function expectedSummary(paths: string[]): Record<string, number> {
  return withDatabase(projectFile, (db) => {
    const imageIds = paths.map((path) => findImageByPath(db, path)!.id)
    const groundTruth = {
      images: imageIds.map((id) => ({ id })),
      annotations: imageIds.flatMap((imageId) => listAnnotations(db, imageId).map((a) => ({ image_id: imageId, category_id: a.classId, bbox: toXywh(a.box) }))),
      categories: listClasses(db).map((entry) => ({ id: entry.id, name: entry.name })),
    }
    const results = imageIds.flatMap((imageId) => listDetections(db, 1, imageId).map((d) => ({ image_id: imageId, category_id: d.classId, bbox: toXywh(d.box), score: d.score })))
    return evaluateCoco(readCocoEvaluationFiles(groundTruth, results).input).summary
  })
}

describe('project eval --folder', () => {
  it('scores only the reviewed images inside the folder, sub-folders included', async () => {
    const result = await runCli(['project', 'eval', projectFile, '--json', '--folder', 'site_a'])
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout) as EvalJson
    expect(report.images).toBe(IN_SITE_A.length)
    expect(report.folder).toBe('site_a')
    expect(report.effort).toMatchObject({ labelsAddedByHand: IN_SITE_A.length, editedImages: IN_SITE_A.length })
    const expected = expectedSummary(IN_SITE_A)
    for (const key of SUMMARY_KEYS) expect(report.summary[key], key).toBeCloseTo(expected[key]!, 12)

    const whole = JSON.parse((await runCli(['project', 'eval', projectFile, '--json'])).stdout) as EvalJson
    expect(whole.images).toBe(Object.keys(LAYOUT).length)
    expect(whole.folder).toBeUndefined() // the JSON of a whole-project evaluation is unchanged
    const wholeExpected = expectedSummary(Object.keys(LAYOUT))
    for (const key of SUMMARY_KEYS) expect(whole.summary[key], key).toBeCloseTo(wholeExpected[key]!, 12)
  }, 60_000)

  it('takes a nested folder, forgives a trailing slash and says which folder in the text output', async () => {
    const nested = JSON.parse((await runCli(['project', 'eval', projectFile, '--json', '--folder', 'site_a/day 2/'])).stdout) as EvalJson
    expect(nested.images).toBe(1)
    expect(nested.folder).toBe('site_a/day 2')
    const text = await runCli(['project', 'eval', projectFile, '--folder', 'siteXa'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^run #1 .* on 1 reviewed images in folder "siteXa"$/m)
  }, 60_000)

  it('says so when the folder holds no reviewed image, and refuses a folder outside the image root', async () => {
    const empty = await runCli(['project', 'eval', projectFile, '--folder', 'site'])
    expect(empty.code).toBe(1)
    expect(empty.stderr).toMatch(/No reviewed image in folder "site" to score run #1 on/)
    for (const folder of ['../images', '/etc', 'site_a//day 2']) {
      const refused = await runCli(['project', 'eval', projectFile, '--folder', folder])
      expect(refused.code, folder).toBe(2)
      expect(refused.stderr).toMatch(/--folder must be a folder inside the image root/)
    }
  }, 60_000)
})
