/**
 * The key promise of a batch run: killing the process at any instant (SIGKILL, no cleanup)
 * leaves a sound project file where every recorded image has exactly its detections, labels
 * and status, and a resume finishes the rest with no image recorded twice.
 */
import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { openProjectFile } from '../../../src-main/core/jobs/project-file'
import { spawnCli, runCli } from './cli-child'
import { checkResults, createProjectFixture, fixtureModel, withDatabase, type ProjectFixture } from './project-fixture'

const IMAGE_COUNT = 36

interface Consistency {
  recordedImages: number
  runState: string
}

/** Everything that must hold after a crash, whatever instant it hit. */
function expectConsistent(projectFile: string): Consistency {
  // It opens as a project (this also replays the WAL left behind).
  openProjectFile(projectFile).close()
  return withDatabase(projectFile, (db) => {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])
    let recordedImages = 0
    for (const check of checkResults(db)) {
      expect(check.resultRows).toBeLessThanOrEqual(1)
      expect(check.actualDetections).toBe(check.recordedCount)
      recordedImages += check.resultRows
    }
    const run = db.prepare('SELECT id, state FROM runs').get() as { id: number; state: string }
    // Status and labels were written with the detections: all or nothing per image. Labels are the
    // detections at the label threshold (the fixture model names no operating point: 0.5) big enough to be labels.
    const images = db
      .prepare(
        `SELECT i.status, EXISTS (SELECT 1 FROM run_images r WHERE r.image_id = i.id) AS recorded,
                (SELECT count(*) FROM annotations a WHERE a.image_id = i.id AND a.deleted_at IS NULL) AS labels,
                (SELECT count(*) FROM detections d
                 WHERE d.image_id = i.id AND d.score >= 0.5 AND d.x2 - d.x1 >= 1 AND d.y2 - d.y1 >= 1) AS labelled
         FROM images i`,
      )
      .all() as Array<{ status: string; recorded: number; labels: number; labelled: number }>
    for (const image of images) {
      expect(image.status).toBe(image.recorded ? 'detected' : 'new')
      expect(image.labels).toBe(image.labelled)
    }
    const perClass = db.prepare('SELECT coalesce(sum(detection_count), 0) FROM run_class_counts').pluck().get()
    expect(perClass).toBe(db.prepare('SELECT count(*) FROM detections').pluck().get())
    return { recordedImages, runState: run.state }
  })
}

async function resumeAndCheck(fixture: ProjectFixture): Promise<void> {
  const resumed = await runCli(['project', 'detect', fixture.projectFile, '--resume'])
  expect(resumed.stderr).toMatch(/resuming run 1/)
  expect(resumed.code).toBe(0)
  withDatabase(fixture.projectFile, (db) => {
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1)
    expect(db.prepare('SELECT state FROM runs').pluck().get()).toBe('done')
    const checks = checkResults(db)
    expect(checks).toHaveLength(IMAGE_COUNT)
    for (const check of checks) {
      expect(check.resultRows).toBe(1)
      expect(check.actualDetections).toBe(check.recordedCount)
    }
  })
  expectConsistent(fixture.projectFile)
}

function lastReportedSaved(stderr: string): number {
  const counts = [...stderr.matchAll(/^saved: (\d+)\//gm)].map((match) => Number(match[1]))
  return counts.at(-1) ?? 0
}

/**
 * Starts a run, kills it once `killWhen` has been printed `times` times, checks what the crash
 * left, and returns how many images the run had reported saved.
 */
async function killRunAndCheck(fixture: ProjectFixture, killWhen: RegExp, times: number): Promise<number> {
  const child = spawnCli(['project', 'detect', fixture.projectFile, '--model', fixtureModel, '--provider', 'cpu', '--commit-every', '3', '--log-commits'])
  await child.waitForLines(killWhen, times)
  child.process.kill('SIGKILL')
  const ended = await child.exited
  expect(ended.signal).toBe('SIGKILL')

  const state = expectConsistent(fixture.projectFile)
  expect(state.runState).toBe('running')
  // A batch commits after 3 images or 250 ms, whichever comes first, so the images known
  // to be saved are those the last "saved: N/total" line reported before the kill.
  const reportedSaved = lastReportedSaved(ended.stderr)
  expect(state.recordedImages).toBeGreaterThanOrEqual(reportedSaved)
  expect(state.recordedImages).toBeLessThan(IMAGE_COUNT)
  return reportedSaved
}

describe('a detection run killed with SIGKILL', () => {
  it('as soon as its run row exists leaves a sound project that a resume completes', async () => {
    const fixture = await createProjectFixture(IMAGE_COUNT)
    try {
      await killRunAndCheck(fixture, /^run 1: /, 1)
      await resumeAndCheck(fixture)
    } finally {
      rmSync(fixture.dir, { recursive: true, force: true })
    }
  }, 180_000)

  // After one, three and six committed batches: each printed "saved" line is a committed batch
  // of at least one image, so at least that many images are known to be saved.
  it.each([1, 3, 6])('after %i saved batches leaves a sound project, with every reported image kept, that a resume completes', async (savedBatches) => {
    const fixture = await createProjectFixture(IMAGE_COUNT)
    try {
      expect(await killRunAndCheck(fixture, /^saved: /, savedBatches)).toBeGreaterThanOrEqual(savedBatches)
      await resumeAndCheck(fixture)
    } finally {
      rmSync(fixture.dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('twice, the second time while resuming, still loses nothing and records nothing twice', async () => {
    const fixture = await createProjectFixture(IMAGE_COUNT)
    try {
      const first = spawnCli(['project', 'detect', fixture.projectFile, '--model', fixtureModel, '--provider', 'cpu', '--commit-every', '2', '--log-commits'])
      await first.waitForLines(/^saved: /, 2)
      first.process.kill('SIGKILL')
      await first.exited
      const afterFirst = expectConsistent(fixture.projectFile).recordedImages

      const second = spawnCli(['project', 'detect', fixture.projectFile, '--resume', '--commit-every', '2', '--log-commits'])
      await second.waitForLines(/^saved: /, 2)
      second.process.kill('SIGKILL')
      expect((await second.exited).signal).toBe('SIGKILL')
      const afterSecond = expectConsistent(fixture.projectFile)
      expect(afterSecond.runState).toBe('running')
      expect(afterSecond.recordedImages).toBeGreaterThan(afterFirst)

      await resumeAndCheck(fixture)
    } finally {
      rmSync(fixture.dir, { recursive: true, force: true })
    }
  }, 180_000)
})
