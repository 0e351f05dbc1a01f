import { describe, expect, it } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import { AppError } from '../../../src-main/core/errors'
import { EventHub } from '../../../src-main/core/events/event-hub'
import { JobRunner, type JobSpec } from '../../../src-main/core/jobs/job-runner'

function setup() {
  const hub = new EventHub()
  const events: ApiEvent[] = []
  hub.subscribe((event) => events.push(event))
  let clock = 0
  const runner = new JobRunner(hub, { progressIntervalMs: 100, now: () => clock })
  return { runner, events, advance: (ms: number) => (clock += ms) }
}

const EXPORT: JobSpec = { kind: 'export', title: { key: 'jobs.exportingLabels', values: { format: 'COCO', folder: '/out' } }, projectFile: '/p/a.rwproj', unit: 'images', cancellable: true, exclusive: 'export' }

describe('job runner', () => {
  it('announces a job, its progress with rate and time left, and its end; resolves to the work\'s result', async () => {
    const { runner, events, advance } = setup()
    const result = await runner.run(EXPORT, async (job) => {
      expect(runner.active().map((info) => info.id)).toEqual([job.id])
      job.progress(0, 10)
      advance(1000)
      job.progress(4, 10)
      return 'written'
    })
    expect(result).toBe('written')
    expect(events.map((event) => event.type)).toEqual(['job.started', 'job.progress', 'job.progress', 'job.finished'])
    expect(events[0]).toMatchObject({ job: { kind: 'export', title: 'Exporting labels as COCO to /out', titleSaid: EXPORT.title, projectFile: '/p/a.rwproj', progress: null, cancellable: true } })
    expect(events[2]).toMatchObject({ job: { progress: { done: 4, total: 10, unit: 'images', perSecond: 4, etaSeconds: 1.5 } } })
    expect(events[3]).toMatchObject({ type: 'job.finished', outcome: 'done' })
    expect(runner.active()).toEqual([])
  })

  it('sends at most one progress per interval, but always the first and the last', async () => {
    const { runner, events, advance } = setup()
    await runner.run(EXPORT, async (job) => {
      for (let done = 1; done <= 100; done++) {
        advance(5)
        job.progress(done, 100)
      }
    })
    const sent = events.flatMap((event) => (event.type === 'job.progress' ? [event.job.progress!.done] : []))
    expect(sent[0]).toBe(1)
    expect(sent.at(-1)).toBe(100)
    // 500 ms of work at one event per 100 ms, plus the first and the last.
    expect(sent.length).toBeLessThanOrEqual(7)
    expect(sent).toEqual([...sent].sort((a, b) => a - b))
  })

  it('measures the rate from the first progress, so a resumed job is not credited with earlier work', async () => {
    const { runner, events, advance } = setup()
    await runner.run(EXPORT, async (job) => {
      job.progress(90, 100)
      advance(2000)
      job.progress(94, 100)
    })
    const last = events.filter((event) => event.type === 'job.progress').at(-1)
    expect(last).toMatchObject({ job: { progress: { perSecond: 2, etaSeconds: 3 } } })
  })

  it('cancels through the signal and ends the job as cancelled, whether the work returns or throws', async () => {
    const { runner, events } = setup()
    const returned = await runner.run(EXPORT, async (job) => {
      expect(runner.cancel(job.id)).toBe(true)
      return job.signal.aborted
    })
    expect(returned).toBe(true)
    await expect(
      runner.run({ ...EXPORT, kind: 'import' }, async (job) => {
        runner.cancel(job.id)
        job.signal.throwIfAborted()
      }),
    ).rejects.toThrow()
    expect(events.filter((event) => event.type === 'job.finished').map((event) => event.type === 'job.finished' && event.outcome)).toEqual(['cancelled', 'cancelled'])
  })

  it('reports a failure with its sentence, and rejects as the work did', async () => {
    const { runner, events } = setup()
    const refusal = new AppError('conflict', 'The folder /out is not empty.')
    await expect(runner.run(EXPORT, async () => Promise.reject(refusal))).rejects.toBe(refusal)
    await expect(runner.run(EXPORT, async () => Promise.reject(new Error('EIO: i/o error')))).rejects.toThrow('EIO')
    const finished = events.filter((event) => event.type === 'job.finished')
    expect(finished.map((event) => event.type === 'job.finished' && [event.outcome, event.message])).toEqual([
      ['failed', 'The folder /out is not empty.'],
      ['failed', 'Something went wrong: EIO: i/o error'],
    ])
  })

  it('ends as cancelled a job whose work was stopped by other means (its project closed) and says so', async () => {
    const { runner, events } = setup()
    const stopped = new AppError('cancelled', 'Detecting objects was cancelled.')
    await expect(runner.run({ ...EXPORT, kind: 'detection', exclusive: undefined }, async () => Promise.reject(stopped))).rejects.toBe(stopped)
    expect(events.at(-1)).toMatchObject({ type: 'job.finished', outcome: 'cancelled', job: { kind: 'detection' } })
  })

  it('refuses a second job of an exclusive kind while one runs, and runs it once the first ended', async () => {
    const { runner } = setup()
    let release!: () => void
    const first = runner.run(EXPORT, () => new Promise<void>((resolve) => (release = resolve)))
    await expect(runner.run(EXPORT, async () => 'second')).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/another one is going on/) })
    expect(await runner.run({ ...EXPORT, kind: 'import', exclusive: undefined }, async () => 'an import meanwhile')).toBe('an import meanwhile')
    release()
    await first
    expect(await runner.run(EXPORT, async () => 'second')).toBe('second')
  })

  it('does not cancel a job that cannot stop, an unknown job, or one of another project', async () => {
    const { runner } = setup()
    let release!: () => void
    const running = runner.run({ ...EXPORT, cancellable: false }, (job) => new Promise<boolean>((resolve) => (release = () => resolve(job.signal.aborted))))
    const [job] = runner.active()
    expect(runner.cancel(job!.id)).toBe(false)
    expect(runner.cancel(12345)).toBe(false)
    runner.cancelProjectJobs('/p/a.rwproj')
    release()
    expect(await running).toBe(false)

    let stopped = false
    const other = runner.run({ ...EXPORT, projectFile: '/p/b.rwproj' }, (handle) => new Promise<void>((resolve) => handle.signal.addEventListener('abort', () => resolve())))
    runner.cancelProjectJobs('/p/a.rwproj')
    expect(runner.active()).toHaveLength(1)
    runner.cancelProjectJobs('/p/b.rwproj')
    await other.then(() => (stopped = true))
    expect(stopped).toBe(true)
  })
})

describe('job runner: words beside the count', () => {
  it('sends a milestone described in words at once, and keeps it on later progress', async () => {
    const { runner, events } = setup()
    await runner.run({ ...EXPORT, kind: 'training' }, async (job) => {
      job.progress(1, 10)
      job.describe({ key: 'jobs.trainingEpoch', values: { epoch: 1, epochs: 2, ap: '0.800' } })
      job.progress(2, 10)
    })
    const sent = events.filter((event) => event.type === 'job.progress')
    expect(sent[1]).toMatchObject({ job: { detail: 'epoch 1 of 2: held-out AP50 0.800', progress: { done: 1 } } })
    expect(events.at(-1)).toMatchObject({ type: 'job.finished', job: { detail: 'epoch 1 of 2: held-out AP50 0.800', progress: { done: 2 } } })
  })
})
