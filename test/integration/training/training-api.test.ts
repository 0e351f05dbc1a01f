/**
 * "Improve the model" over the API: `training.start` trains in a worker thread as a job (the
 * thread answering the API stays free meanwhile), reports epochs in words, writes a model a
 * detection run takes, and stops on `jobs.cancel`.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import { type ServerHarness, startHarness } from '../http/server-harness'
import { repoRoot } from '../jobs/project-fixture'

const samples = join(repoRoot, 'resources/samples')
const tinyModel = join(repoRoot, 'test/fixtures/models/tiny-concat.onnx')
const tinyConfig = join(repoRoot, 'test/fixtures/models/tiny-concat.json')

let harness: ServerHarness

beforeAll(async () => {
  harness = await startHarness()
  const created = await harness.call('project.create', { imageFolder: samples, projectFile: join(harness.folder, 'samples.rwproj') })
  expect(created.body.ok).toBe(true)
  const imported = await harness.call('labels.import', { format: 'coco', input: join(samples, 'ground-truth.json'), markReviewed: true, addClasses: true })
  expect(imported.body.ok, JSON.stringify(imported.body)).toBe(true)
}, 60_000)

afterAll(() => harness.stop())

function trainingEvents(): { events: ApiEvent[]; stop: () => void } {
  const events: ApiEvent[] = []
  const stop = harness.server.context.events.subscribe((event) => {
    if (event.type.startsWith('job.') && 'job' in event && event.job.kind === 'training') events.push(event)
  })
  return { events, stop }
}

describe('training.start', () => {
  it('trains in a worker as a job, answering other calls meanwhile, and writes a model a run can use', async () => {
    const out = join(harness.folder, 'models', 'samples-tiny.onnx')
    const watch = trainingEvents()
    const training = harness.call('training.start', { out, baseModel: tinyModel, baseConfig: tinyConfig, epochs: 1 })
    const firstProgress = new Promise<void>((resolve) => {
      const stop = harness.server.context.events.subscribe((event) => {
        if (event.type === 'job.progress' && event.job.kind === 'training') {
          stop()
          resolve()
        }
      })
    })
    await firstProgress
    // The worker trains; this thread still answers.
    const info = await harness.call('app.info', {})
    const answeredDuringTraining = info.body.ok && watch.events.at(-1)?.type !== 'job.finished'
    const answer = await training
    watch.stop()
    expect(answer.body.ok, JSON.stringify(answer.body)).toBe(true)
    expect(answeredDuringTraining).toBe(true)
    const summary = answer.body.value
    expect(summary).toMatchObject({ model: out, config: join(harness.folder, 'models', 'samples-tiny.json'), epochs: 1, bestEpoch: 1 })
    expect(summary.trainImages + summary.heldOutImages).toBe(16)
    expect(summary.newClasses.length).toBeGreaterThan(0)
    expect(existsSync(summary.model) && existsSync(summary.config) && existsSync(summary.report)).toBe(true)
    const details = watch.events.flatMap((event) => (event.type === 'job.progress' && event.job.detail ? [event.job.detail] : []))
    expect(details[0]).toMatch(/^\d+ images to learn from, \d+ held out; 1 epoch$/)
    expect(details.at(-1)).toMatch(/^epoch 1 of 1: held-out AP50 (\d\.\d{3}|no held-out labels)$/)
    expect(watch.events.at(-1)).toMatchObject({ type: 'job.finished', outcome: 'done' })
    // The project remembers it, for the run panel to offer.
    const models = (await harness.call('training.models', {})).body.value
    expect(models[0]).toMatchObject({ model: out, config: summary.config, baseModel: tinyModel, trainImages: summary.trainImages, available: true })
    expect(models[0].heldOutAfter).toEqual(summary.heldOutAfter)
  }, 300_000)

  it('stops on jobs.cancel and says how to continue', async () => {
    const out = join(harness.folder, 'models', 'cancelled.onnx')
    const { context } = harness.server
    const stop = context.events.subscribe((event) => {
      if (event.type === 'job.started' && event.job.kind === 'training') context.jobs.cancel(event.job.id)
    })
    try {
      const answer = await harness.call('training.start', { out, baseModel: tinyModel, baseConfig: tinyConfig, epochs: 3 })
      expect(answer.body).toMatchObject({ ok: false, error: { code: 'cancelled', message: expect.stringMatching(/^The training was cancelled/) } })
    } finally {
      stop()
    }
    expect(existsSync(out)).toBe(false)
  }, 300_000)

  it('refuses a model path that is not absolute, and a second training meanwhile', async () => {
    const relative = await harness.call('training.start', { out: 'model.onnx' })
    expect(relative.body).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    const out = join(harness.folder, 'models', 'first.onnx')
    const first = harness.call('training.start', { out, baseModel: tinyModel, baseConfig: tinyConfig, epochs: 1 })
    await new Promise<void>((resolve) => {
      const stop = harness.server.context.events.subscribe((event) => {
        if (event.type === 'job.started' && event.job.kind === 'training') {
          stop()
          resolve()
        }
      })
    })
    const second = await harness.call('training.start', { out: join(harness.folder, 'models', 'second.onnx'), baseModel: tinyModel, baseConfig: tinyConfig, epochs: 1 })
    expect(second.body).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/another one is going on/) } })
    const [job] = harness.server.context.jobs.active()
    harness.server.context.jobs.cancel(job!.id)
    expect((await first).body).toMatchObject({ ok: false, error: { code: 'cancelled' } })
  }, 300_000)
})
