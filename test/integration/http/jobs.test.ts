/**
 * Scans, exports and imports as jobs over HTTP: each reports through `job.*` events, and a
 * cancel stops it with nothing left behind. The cancel is sent from inside the server process
 * the moment the job reports, so the test does not race the work.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import type { JobKind } from '@shared/api/job-types'
import { createLabelledProject, type LabelledProject } from '../formats/labelled-project'
import { type ServerHarness, startHarness } from './server-harness'

let harness: ServerHarness
let source: LabelledProject

beforeAll(async () => {
  harness = await startHarness()
  source = await createLabelledProject(harness.folder)
  source.project.close()
  expect((await harness.call('project.open', { projectFile: source.project.file })).body.ok).toBe(true)
})
afterAll(() => harness.stop())

/** Cancels the next job of `kind` as soon as it reports `when`; returns the events it sent. */
function cancelNextJob(kind: JobKind, when: 'job.started' | 'job.progress'): { events: ApiEvent[]; stop: () => void } {
  const events: ApiEvent[] = []
  const { context } = harness.server
  const stop = context.events.subscribe((event) => {
    if (!event.type.startsWith('job.') || !('job' in event) || event.job.kind !== kind) return
    events.push(event)
    if (event.type === when) context.jobs.cancel(event.job.id)
  })
  return { events, stop }
}

describe('jobs', () => {
  it('cancels an import while its files are read: the preview and the import say so, nothing is written', async () => {
    const dataset = join(harness.folder, 'yolo-many')
    await mkdir(join(dataset, 'labels'), { recursive: true })
    await writeFile(join(dataset, 'classes.txt'), 'zebra\n')
    for (let index = 0; index < 200; index++) await writeFile(join(dataset, 'labels', `image-${index}.txt`), '0 0.5 0.5 0.2 0.2\n')
    const before = (await harness.call('project.stats', {})).body.value

    for (const method of ['labels.planImport', 'labels.import'] as const) {
      const watch = cancelNextJob('import', 'job.progress')
      try {
        const answer = await harness.call(method, { format: 'yolo', input: dataset, addClasses: true })
        expect(answer.body).toMatchObject({ ok: false, error: { code: 'cancelled', message: expect.stringMatching(/was cancelled; nothing was imported/) } })
      } finally {
        watch.stop()
      }
      expect(watch.events.map((event) => event.type)).toEqual(['job.started', 'job.progress', 'job.finished'])
      // The files are read in a worker, which hears the cancel a file or two later.
      const finished = watch.events.at(-1)
      expect(finished).toMatchObject({ outcome: 'cancelled', job: { projectFile: source.project.file, progress: { total: 200, unit: 'files' } } })
      expect(finished?.type === 'job.finished' && finished.job.progress?.done).toBeLessThan(200)
    }
    expect((await harness.call('project.stats', {})).body.value).toEqual(before)
    expect((await harness.call('jobs.active', {})).body.value).toEqual([])
  })

  it('cancels an export as it starts: it ends as cancelled and leaves no folder', async () => {
    const out = join(harness.folder, 'cancelled-export')
    const watch = cancelNextJob('export', 'job.started')
    try {
      const answer = await harness.call('labels.export', { format: 'coco', out })
      expect(answer.body).toMatchObject({ ok: true, value: { state: 'cancelled' } })
    } finally {
      watch.stop()
    }
    expect(watch.events.at(-1)).toMatchObject({ type: 'job.finished', outcome: 'cancelled' })
    expect(existsSync(out)).toBe(false)
    // The next export is not refused as "going on".
    const again = await harness.call('labels.export', { format: 'coco', out })
    expect(again.body).toMatchObject({ ok: true, value: { state: 'done' } })
  })

  it('cancels a rescan between files, keeping the project as it was', async () => {
    const watch = cancelNextJob('scan', 'job.started')
    try {
      const answer = await harness.call('project.rescan', {})
      expect(answer.body).toMatchObject({ ok: false, error: { code: 'cancelled', message: expect.stringMatching(/^Rescanning .* was cancelled\.$/) } })
    } finally {
      watch.stop()
    }
    expect(watch.events.at(-1)).toMatchObject({ type: 'job.finished', outcome: 'cancelled', job: { kind: 'scan', projectFile: source.project.file } })
    expect((await harness.call('project.rescan', {})).body.ok).toBe(true)
  })

  it('refuses a job id that is not one', async () => {
    expect((await harness.call('jobs.cancel', { jobId: 424242 })).body).toEqual({ ok: true, value: false })
    expect((await harness.call('jobs.cancel', { jobId: -1 })).body).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
  })
})
