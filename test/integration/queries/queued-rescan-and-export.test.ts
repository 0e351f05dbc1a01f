/**
 * A rescan's write and an export's record of its destination take their turn in the project's
 * write queue. Asked while a long write holds the project (an import of a million labels, or
 * its undo, in the write worker), they wait there: the thread that answers the window stays
 * free (app.info and reads answer meanwhile), and each completes once the long write is done;
 * a rescan cancelled while it waits writes nothing.
 *
 * The long write is a queued write that holds SQLite's write lock from a connection of its own
 * until the test lets it go, as the write worker's transaction does; a write on the API thread
 * that did not wait in the queue would block that thread on the lock and then fail as busy.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AppInfo, ProjectStats, RescanSummary } from '@shared/api/types'
import type { JobInfo } from '@shared/api/job-types'
import type { LabelExportResult } from '@shared/api/transfer-types'
import { type ApiContext, createApiContext, disposeApiContext } from '../../../src-main/api/api-context'
import { createDispatcher, type Dispatch } from '../../../src-main/api/dispatcher'
import { createApiHandlers } from '../../../src-main/api/handlers'
import { openDatabase } from '../../../src-main/core/db/connection'
import { listExportFolders } from '../../../src-main/core/db/export-folders-repository'
import { copyFixtureImages, withDatabase } from '../jobs/project-fixture'

let folder: string
let imageFolder: string
let projectFile: string
let context: ApiContext
let dispatch: Dispatch
/** The long write a test started; let go after each test, so that a failed one holds up no other. */
let releaseLongWrite: (() => void) | undefined

async function value<T>(method: string, args: unknown = {}): Promise<T> {
  const result = await dispatch(method, args)
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`)
  return result.value as T
}

/** A promise and whether it has settled yet. */
function watched<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false
  const done = () => {
    settled = true
  }
  promise.then(done, done)
  return { promise, settled: () => settled }
}

/**
 * Starts a long write: a queued write that takes the project's write lock on a connection of
 * its own and keeps it until `release` is called.
 */
async function startLongWrite(): Promise<{ release: () => void; finished: Promise<void> }> {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let locked!: () => void
  const holdsLock = new Promise<void>((resolve) => (locked = resolve))
  const finished = context.writes.inWorker(
    () => context.projects.requireOpen(),
    async () => {
      const other = openDatabase(projectFile, { mustExist: true })
      try {
        other.exec('BEGIN IMMEDIATE')
        locked()
        await released
        other.exec('COMMIT')
      } finally {
        other.close()
      }
    },
  )
  await holdsLock
  releaseLongWrite = release
  return { release, finished }
}

/** Resolves once the API thread has put a write of its own in the queue. */
function writeQueued(): Promise<void> {
  const queued = vi.spyOn(context.writes, 'onThisThread')
  return vi.waitFor(() => expect(queued).toHaveBeenCalled())
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rw-queued-writes-'))
  imageFolder = join(folder, 'images')
  copyFixtureImages(imageFolder, 3)
  context = createApiContext({ appVersion: '0.0.0-test', transport: 'http', userDataDir: join(folder, 'user-data') })
  dispatch = createDispatcher(createApiHandlers(context))
  projectFile = (await value<{ file: string }>('project.create', { imageFolder })).file
})

afterEach(() => {
  releaseLongWrite?.()
  vi.restoreAllMocks()
})

afterAll(() => {
  if (context) disposeApiContext(context)
  rmSync(folder, { recursive: true, force: true })
})

describe('writes asked while a long write holds the project', () => {
  it('a rescan waits in the queue with the thread free, and completes after the long write', async () => {
    copyFixtureImages(join(imageFolder, 'more'), 2)
    const longWrite = await startLongWrite()
    const queued = writeQueued()
    const rescan = watched(value<RescanSummary>('project.rescan'))
    await queued

    expect((await value<AppInfo>('app.info')).version).toBe('0.0.0-test')
    expect((await value<ProjectStats>('project.stats')).imagesByStatus.new).toBe(3)
    expect(rescan.settled()).toBe(false)

    longWrite.release()
    await longWrite.finished
    expect(await rescan.promise).toMatchObject({ imageCount: 5, addedCount: 2, missingCount: 0 })
    expect(withDatabase(projectFile, (db) => db.prepare('SELECT count(*) FROM images').pluck().get())).toBe(5)
  })

  it('a rescan cancelled while it waits for its turn writes nothing', async () => {
    copyFixtureImages(join(imageFolder, 'cancelled'), 1)
    const longWrite = await startLongWrite()
    const queued = writeQueued()
    const rescan = dispatch('project.rescan', {})
    await queued
    const [job] = await value<JobInfo[]>('jobs.active')
    expect(await value<boolean>('jobs.cancel', { jobId: job!.id })).toBe(true)

    longWrite.release()
    await longWrite.finished
    expect(await rescan).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    expect(withDatabase(projectFile, (db) => db.prepare('SELECT count(*) FROM images').pluck().get())).toBe(5)
  })

  it('an export records its destination in the queue with the thread free, before it writes there', async () => {
    const out = join(folder, 'exports', 'first')
    const longWrite = await startLongWrite()
    const queued = writeQueued()
    const exported = watched(value<LabelExportResult>('labels.export', { format: 'csv', out, allImages: true, includeEmpty: true }))
    await queued

    expect((await value<AppInfo>('app.info')).version).toBe('0.0.0-test')
    expect(exported.settled()).toBe(false)
    // Nothing is written where the export goes before the project remembers the folder.
    expect(readdirSync(dirname(out))).toEqual([])

    longWrite.release()
    await longWrite.finished
    expect(await exported.promise).toMatchObject({ state: 'done', folder: out })
    expect(withDatabase(projectFile, listExportFolders)).toEqual([dirname(out)])
  })
})
