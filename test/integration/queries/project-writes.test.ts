/**
 * The project's write queue: writes run one at a time in the order asked, whether on this
 * thread or in the write worker; a write on this thread asked while a long one runs in the
 * worker waits for it (and this thread stays free meanwhile); a failed write does not stop the
 * queue; and a write whose project closed before its turn is refused, not written elsewhere.
 * An import reads its files before its turn, so reading holds up no write, and plans and writes
 * in its turn, by what the writes before it left.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { AppError } from '../../../src-main/core/errors'
import type { LabelImportRequest } from '../../../src-main/core/labels/label-writes'
import { ProjectWrites } from '../../../src-main/core/labels/project-writes'
import { addImages, createTemporaryProject, startRun, testTime, type TemporaryProject } from '../../unit/db/project-database-fixture'

let project: TemporaryProject
let writes: ProjectWrites
let imageId: number

beforeEach(async () => {
  project = await createTemporaryProject('project-writes-')
  writes = new ProjectWrites()
  ;[imageId] = addImages(project.db, ['a.png']) as [number]
  recordImageResults(project.db, startRun(project.db), [{ imageId, state: 'done', detections: [{ classIndex: 0, score: 0.9, box: [0, 0, 10, 10] }] }], testTime)
})
afterEach(async () => {
  await writes.close()
  await project.dispose()
})

const files = () => ({ file: project.file, imageRoot: project.folder })

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}

describe('project writes', () => {
  it('runs a write asked on this thread after the worker write asked before it, with the thread free meanwhile', async () => {
    const order: string[] = []
    const gate = deferred()
    const long = writes.inWorker(files, async () => {
      order.push('worker write starts')
      await gate.promise
      order.push('worker write ends')
    })
    const edit = writes.onThisThread(() => order.push('edit'))
    // The worker write waits on the gate; this thread goes on answering.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(order).toEqual(['worker write starts'])
    gate.resolve()
    await Promise.all([long, edit])
    expect(order).toEqual(['worker write starts', 'worker write ends', 'edit'])
  })

  it('undoes in the write worker what this thread wrote, and the next write sees it', async () => {
    const label = listAnnotations(project.db, imageId)[0]!
    await writes.onThisThread(() => applyLabelChanges(project.db, imageId, 'delete', [{ op: 'delete', annotationId: label.id }], testTime))
    expect(listAnnotations(project.db, imageId)).toEqual([])
    const step = await writes.inWorker(files, (worker) => worker.call('undo', { now: testTime }))
    expect(step?.imageIds).toEqual([imageId])
    expect(await writes.onThisThread(() => listAnnotations(project.db, imageId).map((restored) => restored.box))).toEqual([label.box])
    expect(await writes.inWorker(files, (worker) => worker.call('redo', { now: testTime }))).toMatchObject({ imageIds: [imageId] })
    expect(listAnnotations(project.db, imageId)).toEqual([])
  })

  it('goes on after a failed write, and refuses a write whose project closed before its turn', async () => {
    const failed = writes.onThisThread(() => {
      throw new AppError('invalid-argument', 'refused')
    })
    await expect(failed).rejects.toThrow('refused')
    await expect(writes.onThisThread(() => 'next')).resolves.toBe('next')

    let open = true
    const openProject = () => {
      if (!open) throw new AppError('no-project', 'No project is open.')
      return files()
    }
    const gate = deferred()
    const first = writes.onThisThread(() => gate.promise)
    const queued = writes.inWorker(openProject, (worker) => worker.call('undo', { now: testTime }))
    open = false
    gate.resolve()
    await first
    await expect(queued).rejects.toMatchObject({ code: 'no-project' })
  })

  describe('an import', () => {
    /** The box the COCO file puts on a.png, as a label stores it. */
    const importedBox = [10, 10, 30, 30]
    let request: LabelImportRequest

    beforeEach(async () => {
      const input = join(project.folder, 'labels.json')
      await writeFile(
        input,
        JSON.stringify({
          images: [{ id: 1, file_name: 'a.png', width: 100, height: 80 }],
          categories: [{ id: 1, name: 'dog' }],
          annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [10, 10, 20, 20] }],
        }),
      )
      request = { format: 'coco', input, mode: 'add', markReviewed: false, addClasses: false }
    })

    const importedLabels = () => listAnnotations(project.db, imageId).filter((label) => label.origin === 'import')

    it('reads its files while the queue is held, then plans and writes in its turn, after the writes asked before it', async () => {
      const gate = deferred()
      const dog = project.db.prepare("SELECT id FROM classes WHERE name = 'dog'").pluck().get() as number
      // Asked before the import: a person draws the very box the file holds.
      const drawn = writes.onThisThread(async () => {
        await gate.promise
        applyLabelChanges(project.db, imageId, 'draw box', [{ op: 'create', state: { classId: dog, box: [10, 10, 30, 30] } }], testTime)
      })
      const read: Array<[number, number]> = []
      const imported = writes.importLabels(files, request, { onProgress: (done, total) => read.push([done, total]) })

      await vi.waitFor(() => expect(read).toEqual([[1, 1]]))
      expect(importedLabels()).toEqual([])
      gate.resolve()
      await drawn
      // Planned in its turn, the import sees the drawn box and skips its own copy of it.
      expect((await imported).outcome).toMatchObject({ labelsCreated: 0, duplicatesSkipped: 1 })
      expect(listAnnotations(project.db, imageId).map((label) => label.box)).toContainEqual(importedBox)
    })

    it('writes nothing when cancelled while it waits for its turn', async () => {
      const gate = deferred()
      const held = writes.onThisThread(() => gate.promise)
      const cancel = new AbortController()
      const read: Array<[number, number]> = []
      const imported = writes.importLabels(files, request, { signal: cancel.signal, onProgress: (done, total) => read.push([done, total]) })
      await vi.waitFor(() => expect(read).toEqual([[1, 1]]))
      cancel.abort()
      gate.resolve()
      await held
      await expect(imported).rejects.toThrow()
      expect(importedLabels()).toEqual([])
      // The queue goes on: the same import, asked again, is written.
      expect((await writes.importLabels(files, request)).outcome).toMatchObject({ labelsCreated: 1 })
      expect(importedLabels().map((label) => label.box)).toEqual([importedBox])
    })
  })
})
