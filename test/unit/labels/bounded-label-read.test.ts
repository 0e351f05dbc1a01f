/**
 * One image's labels are read in bounded size: an import can put a million boxes on one image,
 * and the editor's read (and every edit's answer, which carries the image's labels) must stay
 * small. The first MAX_LABELS_READ come, in id order, and the rest are counted.
 */
import { MAX_LABELS_READ } from '@shared/api/label-types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { readImageLabels } from '../../../src-main/core/labels/image-labels'
import { applyEdit } from '../../../src-main/core/labels/label-edits'
import { addImages, createTemporaryProject, startRun, testTime, type TemporaryProject } from '../db/project-database-fixture'

let project: TemporaryProject
let imageId: number
let classId: number

beforeEach(async () => {
  project = await createTemporaryProject('bounded-labels-')
  ;[imageId] = addImages(project.db, ['crowd.png']) as [number]
  startRun(project.db)
  classId = project.db.prepare('SELECT id FROM classes ORDER BY id').pluck().get() as number
})
afterEach(() => project.dispose())

function addLabels(count: number): void {
  const changes = Array.from({ length: count }, (_, index) => ({
    op: 'create' as const,
    state: { classId, box: [index % 90, 0, (index % 90) + 5, 5] as [number, number, number, number] },
  }))
  applyLabelChanges(project.db, imageId, 'import', changes, testTime)
}

describe('bounded label read', () => {
  it('reads every label of an ordinary image', () => {
    addLabels(12)
    const read = readImageLabels(project.db, imageId)
    expect(read.labels).toHaveLength(12)
    expect(read.labelsLeftOut).toBe(0)
  })

  it('reads the first MAX_LABELS_READ labels of a crowded image and counts the rest, in the edit answer too', () => {
    addLabels(MAX_LABELS_READ + 7)
    const read = readImageLabels(project.db, imageId)
    expect(read.labels).toHaveLength(MAX_LABELS_READ)
    expect(read.labelsLeftOut).toBe(7)
    const ids = read.labels.map((label) => label.id)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))

    const edited = applyEdit(project.db, { imageId, command: 'delete', changes: [{ op: 'delete', labelId: ids[0]! }] }, testTime)
    expect(edited.outcome.labels.labels).toHaveLength(MAX_LABELS_READ)
    expect(edited.outcome.labels.labelsLeftOut).toBe(6)
    expect(edited.outcome.labels.labels[0]!.id).toBe(ids[1])
  })
})
