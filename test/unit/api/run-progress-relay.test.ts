import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import type { RunProgress } from '@shared/api/types'
import { RunProgressRelay } from '../../../src-main/api/run-progress-relay'

function progress(processed: number, saved: number, extra: Partial<RunProgress> = {}): RunProgress {
  return {
    runId: 1,
    processed,
    saved,
    total: 100,
    errors: 0,
    detections: processed * 2,
    imagesPerSecond: 5,
    etaSeconds: 10,
    currentFile: `img-${processed}.png`,
    lastError: null,
    ...extra,
  }
}

const PROJECT_FILE = '/projects/shapes.rwproj'

let events: ApiEvent[]
let relay: RunProgressRelay
const sent = () => events.filter((event) => event.type === 'run.progress').map((event) => event.progress)

beforeEach(() => {
  vi.useFakeTimers()
  events = []
  relay = new RunProgressRelay(PROJECT_FILE, (event) => events.push(event), { progressIntervalMs: 100, imagesChangedIntervalMs: 500 })
})

afterEach(() => {
  vi.useRealTimers()
})

describe('RunProgressRelay', () => {
  it('sends the first report at once and holds later ones back to one per interval, the latest winning', () => {
    relay.push(progress(1, 0))
    relay.push(progress(2, 0))
    relay.push(progress(3, 0))
    expect(sent().map((p) => p.processed)).toEqual([1])
    vi.advanceTimersByTime(100)
    expect(sent().map((p) => p.processed)).toEqual([1, 3])
    expect(relay.latest?.processed).toBe(3)
  })

  it('sends the last report at once when the run reaches its total', () => {
    relay.push(progress(1, 0))
    relay.push(progress(100, 90))
    expect(sent().map((p) => p.processed)).toEqual([1, 100])
  })

  it('never lets a counter go backwards', () => {
    relay.push(progress(10, 8))
    vi.advanceTimersByTime(100)
    relay.push(progress(9, 5))
    vi.advanceTimersByTime(100)
    expect(sent().at(-1)).toMatchObject({ processed: 10, saved: 8 })
  })

  it('announces every failed image, and keeps the error for the next progress event', () => {
    relay.push(progress(1, 0))
    relay.push(progress(2, 0, { errors: 1, lastError: { relativePath: 'bad.png', message: 'truncated' } }))
    relay.push(progress(3, 0, { errors: 1 }))
    expect(events.filter((event) => event.type === 'run.imageFailed')).toEqual([
      { type: 'run.imageFailed', projectFile: PROJECT_FILE, runId: 1, relativePath: 'bad.png', message: 'truncated' },
    ])
    vi.advanceTimersByTime(100)
    expect(sent().at(-1)).toMatchObject({ processed: 3, lastError: { relativePath: 'bad.png' } })
  })

  it('names the project of the run in every run event, so windows on another project can drop them', () => {
    relay.push(progress(1, 0, { errors: 1, lastError: { relativePath: 'bad.png', message: 'truncated' } }))
    relay.push(progress(100, 100))
    relay.finish()
    const runEvents = events.filter((event) => event.type.startsWith('run.'))
    expect(runEvents.map((event) => event.type)).toEqual(['run.imageFailed', 'run.progress', 'run.progress'])
    expect(runEvents.map((event) => ('projectFile' in event ? event.projectFile : null))).toEqual(runEvents.map(() => PROJECT_FILE))
  })

  it('sends images.changed after saves, at most once per interval, and once more at the end', () => {
    relay.push(progress(5, 5))
    relay.push(progress(6, 6))
    vi.advanceTimersByTime(0)
    expect(events.filter((event) => event.type === 'images.changed')).toHaveLength(1)
    relay.push(progress(7, 7))
    vi.advanceTimersByTime(499)
    expect(events.filter((event) => event.type === 'images.changed')).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(events.filter((event) => event.type === 'images.changed')).toHaveLength(2)
    relay.push(progress(8, 8))
    relay.finish()
    expect(events.filter((event) => event.type === 'images.changed')).toHaveLength(3)
    expect(sent().at(-1)).toMatchObject({ processed: 8 })
    // Nothing is left scheduled after finish().
    vi.advanceTimersByTime(10_000)
    expect(events.filter((event) => event.type === 'images.changed')).toHaveLength(3)
  })
})
