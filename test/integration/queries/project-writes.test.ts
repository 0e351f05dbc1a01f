/**
 * The project's write queue: writes run one at a time in the order asked, whether on this
 * thread or in the write worker; a write on this thread asked while a long one runs in the
 * worker waits for it (and this thread stays free meanwhile); a failed write does not stop the
 * queue; and a write whose project closed before its turn is refused, not written elsewhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { AppError } from '../../../src-main/core/errors'
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
})
