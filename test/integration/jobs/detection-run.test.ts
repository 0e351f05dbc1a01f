/** Detection runs over real project files with the real fixture model, in-process. */
import { copyFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { insertAnnotation, listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { getImageState, setImageReviewed } from '../../../src-main/core/db/image-status'
import { findImageByPath } from '../../../src-main/core/db/images-repository'
import { requireRun } from '../../../src-main/core/db/runs-repository'
import type { DetectionRunProgress } from '../../../src-main/core/jobs/detection-run-types'
import { resumeDetectionRun, startDetectionRun } from '../../../src-main/core/jobs/detection-run'
import { checkResults, createProjectFixture, fixtureModel, withDatabase, type ProjectFixture } from './project-fixture'

const fixtures: ProjectFixture[] = []
async function project(count: number): Promise<ProjectFixture> {
  const fixture = await createProjectFixture(count)
  fixtures.push(fixture)
  return fixture
}
afterEach(() => {
  for (const fixture of fixtures.splice(0)) rmSync(fixture.dir, { recursive: true, force: true })
})

function expectMonotonic(events: DetectionRunProgress[]): void {
  for (let index = 1; index < events.length; index++) {
    expect(events[index]!.processed).toBeGreaterThanOrEqual(events[index - 1]!.processed)
    expect(events[index]!.saved).toBeGreaterThanOrEqual(events[index - 1]!.saved)
    expect(events[index]!.saved).toBeLessThanOrEqual(events[index]!.processed)
  }
}

describe('startDetectionRun', () => {
  it('records every image once with its detections, labels and status, reporting monotonic progress up to the total', async () => {
    const fixture = await project(12)
    const events: DetectionRunProgress[] = []
    const summary = await startDetectionRun(fixture.projectFile, { modelPath: fixtureModel, commitEveryImages: 5 }, { onProgress: (event) => events.push(event) })

    expect(summary).toMatchObject({ state: 'done', total: 12, processed: 12, errors: 0, labelledImages: 12, keptPersonLabels: 0 })
    expectMonotonic(events)
    expect(events.at(-1)).toMatchObject({ processed: 12, saved: 12, total: 12, etaSeconds: 0 })
    withDatabase(fixture.projectFile, (db) => {
      const run = requireRun(db, summary.runId)
      expect(run).toMatchObject({ state: 'done', scope: 'unprocessed', providerUsed: 'cpu', providerDevice: 'CPU', modelPath: fixtureModel })
      expect(run).toMatchObject({ providerDevice: summary.providerDevice, providerSkipped: summary.providerSkipped })
      expect(run.modelSha256).toMatch(/^[0-9a-f]{64}$/)
      const checks = checkResults(db)
      expect(checks).toHaveLength(12)
      for (const check of checks) {
        expect(check.resultRows).toBe(1)
        expect(check.actualDetections).toBe(check.recordedCount)
      }
      expect(checks.reduce((sum, check) => sum + check.actualDetections, 0)).toBe(summary.detections)
      expect(summary.detections).toBeGreaterThan(0)
      for (const path of fixture.imagePaths) {
        const image = findImageByPath(db, path)!
        expect(getImageState(db, image.id)?.status).toBe('detected')
        const labels = listAnnotations(db, image.id)
        // The label threshold: the fixture model names no operating point, so 0.5; degenerate boxes never become labels.
        const detections = db
          .prepare('SELECT count(*) FROM detections WHERE image_id = ? AND score >= 0.5 AND x2 - x1 >= 1 AND y2 - y1 >= 1')
          .pluck()
          .get(image.id)
        expect(labels.length).toBe(detections)
        expect(labels.every((label) => label.origin === 'detection' && label.detectionId !== null)).toBe(true)
      }
    })
  })

  it('records unreadable, corrupt and vanished files as image errors and goes on', async () => {
    const fixture = await project(6)
    writeFileSync(join(fixture.imageFolder, fixture.imagePaths[1]!), 'no longer an image')
    unlinkSync(join(fixture.imageFolder, fixture.imagePaths[3]!))
    const errors: string[] = []
    const summary = await startDetectionRun(fixture.projectFile, { modelPath: fixtureModel }, {
      onProgress: (event) => event.lastError && errors.push(event.lastError.relativePath),
    })

    expect(summary).toMatchObject({ state: 'done', total: 6, processed: 6, errors: 2 })
    expect(errors.sort()).toEqual([fixture.imagePaths[1], fixture.imagePaths[3]])
    withDatabase(fixture.projectFile, (db) => {
      for (const [index, path] of fixture.imagePaths.entries()) {
        const state = getImageState(db, findImageByPath(db, path)!.id)!
        if (index === 1 || index === 3) {
          expect(state.status).toBe('error')
          expect(state.errorMessage).toBeTruthy()
        } else {
          expect(state).toMatchObject({ status: 'detected', errorMessage: null })
        }
      }
    })

    // A later unprocessed-scope run retries only the failed images.
    copyBack(fixture, 1)
    const retry = await startDetectionRun(fixture.projectFile, { modelPath: fixtureModel })
    expect(retry).toMatchObject({ total: 2, processed: 2, errors: 1 })
  })

  it('stops on cancel, marks the run cancelled, and a resume processes only the rest', async () => {
    const fixture = await project(20)
    const controller = new AbortController()
    const cancelled = await startDetectionRun(fixture.projectFile, { modelPath: fixtureModel, commitEveryImages: 2 }, {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.processed >= 5) controller.abort()
      },
    })
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.processed).toBeGreaterThanOrEqual(5)
    expect(cancelled.processed).toBeLessThan(20)
    const savedBefore = withDatabase(fixture.projectFile, (db) => {
      expect(requireRun(db, cancelled.runId).state).toBe('cancelled')
      return checkResults(db).filter((check) => check.resultRows > 0).length
    })
    expect(savedBefore).toBe(cancelled.processed)

    const events: DetectionRunProgress[] = []
    const resumed = await resumeDetectionRun(fixture.projectFile, cancelled.runId, {}, { onProgress: (event) => events.push(event) })
    expect(resumed).toMatchObject({ runId: cancelled.runId, state: 'done', total: 20, processed: 20 })
    expect(events[0]!.processed).toBeGreaterThanOrEqual(savedBefore)
    expectMonotonic(events)
    expect(events.at(-1)).toMatchObject({ processed: 20, saved: 20 })
    withDatabase(fixture.projectFile, (db) => {
      expect(requireRun(db, cancelled.runId).state).toBe('done')
      for (const check of checkResults(db)) {
        expect(check.resultRows).toBe(1)
        expect(check.actualDetections).toBe(check.recordedCount)
      }
    })
    await expect(resumeDetectionRun(fixture.projectFile, cancelled.runId)).rejects.toThrow(/finished every image/)
  })

  it('a rerun over all images never changes labels a person drew, edited or reviewed', async () => {
    const fixture = await project(5)
    const first = await startDetectionRun(fixture.projectFile, { modelPath: fixtureModel })
    const [drawnOn, reviewed] = [fixture.imagePaths[0]!, fixture.imagePaths[2]!]
    const before = withDatabase(fixture.projectFile, (db) => {
      const drawnId = findImageByPath(db, drawnOn)!.id
      const reviewedId = findImageByPath(db, reviewed)!.id
      const classId = db.prepare('SELECT min(id) FROM classes').pluck().get() as number
      insertAnnotation(db, drawnId, { classId, box: [1, 2, 30, 40] }, { origin: 'manual' }, new Date().toISOString())
      setImageReviewed(db, reviewedId, true, 'now')
      return { drawn: listAnnotations(db, drawnId), reviewed: listAnnotations(db, reviewedId) }
    })

    // Nothing is left for the default scope.
    expect(await startDetectionRun(fixture.projectFile, { modelPath: fixtureModel })).toMatchObject({ total: 0, processed: 0, state: 'done' })

    const rerun = await startDetectionRun(fixture.projectFile, { modelPath: fixtureModel, scope: 'all' })
    expect(rerun).toMatchObject({ total: 5, processed: 5, labelledImages: 3, keptPersonLabels: 2 })
    withDatabase(fixture.projectFile, (db) => {
      expect(listAnnotations(db, findImageByPath(db, drawnOn)!.id)).toEqual(before.drawn)
      const reviewedId = findImageByPath(db, reviewed)!.id
      expect(listAnnotations(db, reviewedId)).toEqual(before.reviewed)
      expect(getImageState(db, reviewedId)?.status).toBe('reviewed')
      // The untouched images now carry the new run's detections.
      const untouched = findImageByPath(db, fixture.imagePaths[1]!)!.id
      const runsOfLabels = db
        .prepare('SELECT DISTINCT d.run_id FROM annotations a JOIN detections d ON d.id = a.detection_id WHERE a.image_id = ?')
        .pluck()
        .all(untouched)
      expect(runsOfLabels).toEqual([rerun.runId])
      expect(first.runId).not.toBe(rerun.runId)
    })
  })
})

/** Puts a readable image back in place of the corrupted one (the golden set cycles every 5 images). */
function copyBack(fixture: ProjectFixture, index: number): void {
  const source = join(fixture.imageFolder, fixture.imagePaths[(index + 5) % fixture.imagePaths.length]!)
  copyFileSync(source, join(fixture.imageFolder, fixture.imagePaths[index]!))
}
