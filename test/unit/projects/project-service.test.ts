import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import { openDatabase } from '../../../src-main/core/db/connection'
import { listImages } from '../../../src-main/core/db/images-repository'
import { latestVersion } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { findProject } from '../../../src-main/core/db/project-repository'
import { JobRunner } from '../../../src-main/core/jobs/job-runner'
import { AppError } from '../../../src-main/core/errors'
import { EventHub } from '../../../src-main/core/events/event-hub'
import { ProjectService } from '../../../src-main/core/projects/project-service'
import { RecentProjects } from '../../../src-main/core/projects/recent-projects'
import { createImageFolder, type GeneratedImageFolder } from '../../helpers/image-folder'

let folder: string
let images: GeneratedImageFolder
let service: ProjectService
let recent: RecentProjects
let events: ApiEvent[]
let hub: EventHub
let jobs: JobRunner

async function expectAppError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe(code)
  expect((error as AppError).message).toMatch(message)
}

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-projects-'))
  images = await createImageFolder(join(folder, 'work', 'birds'), { includeCorrupt: true })
  recent = new RecentProjects(join(folder, 'user-data'))
  hub = new EventHub()
  jobs = new JobRunner(hub)
  events = []
  hub.subscribe((event) => events.push(event))
  service = new ProjectService({ appVersion: '0.1.0', recent, events: hub, jobs })
})

afterEach(async () => {
  service.dispose()
  await rm(folder, { recursive: true, force: true })
})

describe('creating a project', () => {
  it('writes <folder>/<folder name>.rwproj, scans the images and opens it', async () => {
    const created = await service.create({ imageFolder: images.root })
    expect(created).toMatchObject({
      file: join(images.root, 'birds.rwproj'),
      name: 'birds',
      imageRoot: images.root,
      imageCount: images.images.length,
      scan: { imageCount: images.images.length, skippedCount: 1 },
    })
    expect(service.current?.file).toBe(created.file)
    const announced = events.filter((event) => !event.type.startsWith('job.')).map((event) => event.type)
    expect(announced).toEqual(['project.changed', 'images.changed'])
    expect((await recent.list()).map((entry) => entry.file)).toEqual([created.file])
  })

  it('scans as a job: started, progress up to every file examined, finished as done', async () => {
    const created = await service.create({ imageFolder: images.root })
    const jobEvents = events.filter((event) => event.type.startsWith('job.'))
    expect(jobEvents[0]).toMatchObject({ type: 'job.started', job: { kind: 'scan', projectFile: created.file, cancellable: true } })
    expect(jobEvents.at(-1)).toMatchObject({ type: 'job.finished', outcome: 'done' })
    const done = jobEvents.flatMap((event) => (event.type === 'job.progress' && event.job.progress ? [event.job.progress] : []))
    expect(done.length).toBeGreaterThan(0)
    expect(done.at(-1)).toMatchObject({ done: done.at(-1)!.total, unit: 'files', etaSeconds: 0 })
    const examined = done.map((progress) => progress.done)
    expect(examined).toEqual([...examined].sort((a, b) => a - b))
  })

  it('creates no project when its scan is cancelled, and says so', async () => {
    const unsubscribe = hub.subscribe((event) => {
      if (event.type === 'job.started') jobs.cancel(event.job.id)
    })
    try {
      await expect(service.create({ imageFolder: images.root })).rejects.toMatchObject({ code: 'cancelled', message: expect.stringMatching(/was cancelled/) })
    } finally {
      unsubscribe()
    }
    expect(service.current).toBeNull()
    expect(existsSync(join(images.root, 'birds.rwproj'))).toBe(false)
    expect(events.at(-1)).toMatchObject({ type: 'job.finished', outcome: 'cancelled' })
  })

  it('stores the image root relative to the project file', async () => {
    const projectFile = join(folder, 'work', 'projects', 'birds.rwproj')
    await mkdir(join(folder, 'work', 'projects'))
    await service.create({ imageFolder: images.root, projectFile, name: 'Garden birds' })
    await service.close()
    const db = openDatabase(projectFile, { mustExist: true })
    expect(findProject(db)).toMatchObject({ imageRoot: '../birds', name: 'Garden birds', appVersion: '0.1.0' })
    db.close()
  })

  it('refuses to overwrite an existing file, leaving it untouched', async () => {
    const projectFile = join(folder, 'existing.rwproj')
    await writeFile(projectFile, 'precious')
    await expectAppError(service.create({ imageFolder: images.root, projectFile }), 'conflict', /already exists/)
    expect((await stat(projectFile)).size).toBe('precious'.length)
    expect(service.current).toBeNull()
  })

  it('reports a missing image folder as not-found and creates no file', async () => {
    await expectAppError(service.create({ imageFolder: join(folder, 'nope') }), 'not-found', /does not exist/)
  })

  it('reports a file given as image folder as invalid', async () => {
    await expectAppError(service.create({ imageFolder: images.images[0]!.absolutePath }), 'invalid-argument', /not a folder/)
  })
})

describe('opening a project', () => {
  it('opens a project whose whole folder was moved, and still finds its images', async () => {
    const created = await service.create({ imageFolder: images.root })
    await service.close()
    const moved = join(folder, 'elsewhere', 'birds-moved')
    await mkdir(join(folder, 'elsewhere'))
    await rename(images.root, moved)

    const opened = await service.open(join(moved, 'birds.rwproj'))
    expect(opened.imageRoot).toBe(moved)
    expect(opened.imageCount).toBe(created.imageCount)
    const project = service.current!
    for (const image of listImages(project.db, 0, 100)) {
      await expect(stat(project.absolutePathOf(image))).resolves.toBeTruthy()
    }
  })

  it('reports a missing file as not-found', async () => {
    await expectAppError(service.open(join(folder, 'missing.rwproj')), 'not-found', /no project file/)
  })

  it('refuses a file that is not a database', async () => {
    const file = join(folder, 'text.rwproj')
    await writeFile(file, 'this is plain text, long enough to look like a header of something')
    await expectAppError(service.open(file), 'invalid-argument', /not a Retina Workbench project/)
  })

  it('refuses an SQLite database of another application', async () => {
    const file = join(folder, 'other.db')
    const db = openDatabase(file, { mustExist: false })
    db.exec('CREATE TABLE things (id INTEGER)')
    db.pragma('user_version = 3')
    db.close()
    await expectAppError(service.open(file), 'invalid-argument', /not a Retina Workbench project/)
  })

  it('refuses a project from a newer app version, naming both versions', async () => {
    const created = await service.create({ imageFolder: images.root })
    await service.close()
    const db = openDatabase(created.file, { mustExist: true })
    db.pragma('user_version = 42')
    db.close()
    const supported = latestVersion(projectMigrations)
    await expectAppError(service.open(created.file), 'conflict', new RegExp(`schema version 42.*up to ${supported}\\b`))
    expect(service.current).toBeNull()
  })

  it('replaces the open project and keeps the recent list newest first', async () => {
    const first = await service.create({ imageFolder: images.root })
    const otherImages = await createImageFolder(join(folder, 'work', 'cats'))
    const second = await service.create({ imageFolder: otherImages.root })
    expect(service.current?.file).toBe(second.file)
    await service.open(first.file)
    expect((await recent.list()).map((entry) => entry.file)).toEqual([first.file, second.file])
  })

  it('marks recent projects whose file is gone', async () => {
    const created = await service.create({ imageFolder: images.root })
    await service.close()
    await copyFile(created.file, join(folder, 'backup.rwproj'))
    await rm(created.file)
    expect(await recent.list()).toEqual([expect.objectContaining({ file: created.file, exists: false })])
  })
})

describe('closing', () => {
  it('announces that no project is open', async () => {
    await service.create({ imageFolder: images.root })
    events.length = 0
    await service.close()
    expect(service.current).toBeNull()
    expect(events).toEqual([{ type: 'project.changed', project: null }])
    await expectAppError(Promise.resolve().then(() => service.requireOpen()), 'no-project', /No project is open/)
  })
})
