/**
 * What an import does to a project: add mode keeps labels and skips boxes already there;
 * replace mode replaces the labels of untouched images and leaves images a person touched as
 * they were; all of it is one undo step; unknown classes need permission; origin is `import`.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listAnnotations } from '../../../src-main/core/db/annotations-repository'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import { applyLabelChanges, redoEdit, undoLastEdit } from '../../../src-main/core/db/edit-log-repository'
import { applyLabelImport, planLabelImport, readLabelSet, type LabelImportOptions } from '../../../src-main/core/formats/import-labels'
import { addImages, createTemporaryProject, startRun, syntheticResultFor, testTime, type TemporaryProject } from '../db/project-database-fixture'

let project: TemporaryProject
let ids: number[]
let file: string
beforeEach(async () => {
  project = await createTemporaryProject('label-import-modes-')
  ids = addImages(project.db, ['a.png', 'b.png', 'c.png'])
  const runId = startRun(project.db)
  recordImageResults(project.db, runId, [syntheticResultFor(ids[0]!), syntheticResultFor(ids[1]!)], testTime)
  // A person drew a box on b.
  applyLabelChanges(project.db, ids[1]!, 'draw box', [{ op: 'create', state: { classId: 1, box: [1, 1, 5, 5] } }], testTime)
  file = join(project.folder, 'labels.json')
  await writeFile(
    file,
    JSON.stringify({
      images: ['a.png', 'b.png', 'c.png'].map((name, index) => ({ id: index + 1, file_name: name, width: 100, height: 80 })),
      categories: [{ id: 1, name: 'cat' }, { id: 2, name: 'dog' }],
      annotations: [1, 2, 3].map((imageId) => ({ id: imageId, image_id: imageId, category_id: 2, bbox: [10, 10, 20, 20] })),
    }),
  )
})
afterEach(() => project.dispose())

async function runImport(options: LabelImportOptions) {
  const plan = planLabelImport(project.db, project.folder, await readLabelSet('coco', file), options)
  return applyLabelImport(project.db, plan, options)
}

const gestures = () => project.db.prepare("SELECT * FROM edit_gestures WHERE command = 'import labels' ORDER BY id").all() as Array<Record<string, unknown>>

describe('label import modes', () => {
  it('replace: untouched images get the imported labels, touched ones keep theirs, one undo step', async () => {
    const detectionLabelsOfA = listAnnotations(project.db, ids[0]!)
    expect(detectionLabelsOfA.length).toBeGreaterThan(0)
    const labelsOfB = listAnnotations(project.db, ids[1]!)
    const result = await runImport({ mode: 'replace', markReviewed: true, addClasses: false })
    expect(result).toMatchObject({ imagesChanged: 2, labelsCreated: 2, labelsRemoved: detectionLabelsOfA.length, imagesKeptTouched: 1, imagesMarkedReviewed: 2 })
    expect(result.plan.imagesKeptTouched).toBe(1)
    expect(listAnnotations(project.db, ids[0]!)).toEqual([expect.objectContaining({ origin: 'import', classId: 2, box: [10, 10, 30, 30] })])
    expect(listAnnotations(project.db, ids[1]!)).toEqual(labelsOfB)
    expect(listAnnotations(project.db, ids[2]!)).toEqual([expect.objectContaining({ origin: 'import', box: [10, 10, 30, 30] })])
    expect(project.db.prepare("SELECT path FROM images WHERE status = 'reviewed' ORDER BY path").pluck().all()).toEqual(['a.png', 'c.png'])

    const logged = gestures()
    expect(logged.map((gesture) => gesture.image_id)).toEqual([ids[0], ids[2]])
    expect(logged.map((gesture) => gesture.batch_id)).toEqual([logged[0]!.id, logged[0]!.id])
    const entries = project.db.prepare('SELECT op, before, after FROM edit_log WHERE gesture_id = ? ORDER BY id').all(logged[0]!.id) as Array<{ op: string; before: string | null; after: string | null }>
    expect(entries.filter((entry) => entry.op === 'delete')).toHaveLength(detectionLabelsOfA.length)
    expect(entries.at(-1)).toEqual({ op: 'create', before: null, after: JSON.stringify({ classId: 2, box: [10, 10, 30, 30] }) })

    // One undo takes the whole import back: a's detection labels return, c's imported label goes.
    expect(undoLastEdit(project.db, testTime)?.map((gesture) => gesture.imageId)).toEqual([ids[2], ids[0]])
    expect(listAnnotations(project.db, ids[0]!).map((label) => label.id)).toEqual(detectionLabelsOfA.map((label) => label.id))
    expect(listAnnotations(project.db, ids[2]!)).toEqual([])
    expect(listAnnotations(project.db, ids[1]!)).toEqual(labelsOfB)
    // One redo brings it back.
    expect(redoEdit(project.db, testTime)).toHaveLength(2)
    expect(listAnnotations(project.db, ids[2]!)).toHaveLength(1)
  })

  it('add: keeps existing labels and skips boxes the image already has', async () => {
    const before = listAnnotations(project.db, ids[0]!).length
    const first = await runImport({ mode: 'add', markReviewed: false, addClasses: false })
    expect(first).toMatchObject({ imagesChanged: 3, labelsCreated: 3, labelsRemoved: 0, duplicatesSkipped: 0 })
    expect(listAnnotations(project.db, ids[0]!)).toHaveLength(before + 1)
    const second = await runImport({ mode: 'add', markReviewed: false, addClasses: false })
    expect(second).toMatchObject({ imagesChanged: 0, labelsCreated: 0, duplicatesSkipped: 3 })
    expect(gestures()).toHaveLength(3)
  })

  it('refuses classes the project lacks unless allowed, writing nothing', async () => {
    await writeFile(file, JSON.stringify({ images: [{ id: 1, file_name: 'c.png' }], categories: [{ id: 1, name: 'zebra' }, { id: 2, name: 'okapi' }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 2, 2] }] }))
    const count = () => project.db.prepare('SELECT (SELECT count(*) FROM annotations) || \'/\' || (SELECT count(*) FROM classes) || \'/\' || (SELECT count(*) FROM edit_gestures)').pluck().get()
    const before = count()
    await expect(runImport({ mode: 'add', markReviewed: true, addClasses: false })).rejects.toThrow(/classes the project does not have: "zebra"/)
    expect(count()).toBe(before)
    const allowed = await runImport({ mode: 'add', markReviewed: false, addClasses: true })
    // Classes the file lists but no box uses are created too, in the file's order.
    expect(allowed.classesCreated).toEqual(['zebra', 'okapi'])
    expect(allowed.labelsCreated).toBe(1)
  })

  it('marks imported labels with origin import and their source file, and reviewed images with the time', async () => {
    await runImport({ mode: 'add', markReviewed: true, addClasses: false })
    expect(project.db.prepare("SELECT origin, source, count(*) AS count FROM annotations WHERE origin = 'import' GROUP BY 1, 2").all()).toEqual([
      { origin: 'import', source: 'labels.json', count: 3 },
    ])
    expect(project.db.prepare("SELECT DISTINCT reviewed_at FROM images WHERE status = 'reviewed'").pluck().all()).toHaveLength(1)
  })

  it('maps a class merged into another onto the class it went into', async () => {
    // dog (class 2) merged into cat (class 1): the file names dog.
    project.db.prepare('UPDATE classes SET merged_into = 1 WHERE id = 2').run()
    const result = await runImport({ mode: 'add', markReviewed: false, addClasses: false })
    expect(result.classesCreated).toEqual([])
    expect(listAnnotations(project.db, ids[2]!)).toEqual([expect.objectContaining({ classId: 1 })])
  })
})
