import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { classPalette } from '../../../src-main/core/db/class-palette'
import {
  createClass,
  deleteUnusedClass,
  ensureClassesByName,
  listClasses,
  renameClass,
  reorderClasses,
  setClassColor,
} from '../../../src-main/core/db/classes-repository'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { AppError } from '../../../src-main/core/errors'
import { addImages, createTemporaryProject, type TemporaryProject, testTime } from './project-database-fixture'

let project: TemporaryProject

beforeEach(async () => {
  project = await createTemporaryProject('rw-classes-')
})

afterEach(async () => {
  await project.dispose()
})

describe('classes repository', () => {
  it('creates the classes a model names once, in its order, with distinct palette colours', () => {
    const first = ensureClassesByName(project.db, ['person', 'bicycle', 'car'], testTime)
    const again = ensureClassesByName(project.db, ['car', 'truck', 'person'], testTime)
    expect(again.get('car')).toBe(first.get('car'))
    expect(again.get('person')).toBe(first.get('person'))
    const classes = listClasses(project.db)
    expect(classes.map((c) => c.name)).toEqual(['person', 'bicycle', 'car', 'truck'])
    expect(classes.map((c) => c.color)).toEqual(classPalette.slice(0, 4))
  })

  it('keeps the id, and so every label, when a class is renamed', () => {
    const { db } = project
    const ids = ensureClassesByName(db, ['cat', 'dog'], testTime)
    const [imageId] = addImages(db, ['a.png'])
    applyLabelChanges(db, imageId!, 'draw box', [{ op: 'create', state: { classId: ids.get('dog')!, box: [1, 2, 3, 4] } }], testTime)

    const renamed = renameClass(db, ids.get('dog')!, '  puppy ')
    expect(renamed).toMatchObject({ id: ids.get('dog'), name: 'puppy' })
    expect(db.prepare('SELECT class_id FROM annotations').pluck().all()).toEqual([ids.get('dog')])
    // A model that still says "dog" now gets a new class; the renamed one keeps its labels.
    expect(ensureClassesByName(db, ['dog'], testTime).get('dog')).not.toBe(ids.get('dog'))
  })

  it('refuses a rename onto an existing name, and empty names', () => {
    const ids = ensureClassesByName(project.db, ['cat', 'dog'], testTime)
    expect(() => renameClass(project.db, ids.get('cat')!, 'dog')).toThrow(/already exists/)
    expect(() => renameClass(project.db, ids.get('cat')!, '   ')).toThrow(AppError)
    expect(() => createClass(project.db, 'dog', testTime)).toThrow(/already exists/)
    expect(() => renameClass(project.db, 999, 'x')).toThrow(/no class with id 999/)
  })

  it('sets colours in normalised form and refuses what is not a colour', () => {
    const created = createClass(project.db, 'sign', testTime, '#A0B1C2')
    expect(created.color).toBe('#a0b1c2')
    expect(setClassColor(project.db, created.id, '#00FF00').color).toBe('#00ff00')
    expect(() => setClassColor(project.db, created.id, 'green')).toThrow(/#rrggbb/)
  })

  it('reorders classes and refuses an order that leaves one out', () => {
    const ids = [...ensureClassesByName(project.db, ['a', 'b', 'c'], testTime).values()]
    reorderClasses(project.db, [ids[2]!, ids[0]!, ids[1]!])
    expect(listClasses(project.db).map((c) => c.name)).toEqual(['c', 'a', 'b'])
    expect(() => reorderClasses(project.db, [ids[0]!, ids[1]!])).toThrow(/exactly once/)
  })

  it('deletes only classes nothing uses, and never hands their id out again', () => {
    const { db } = project
    const ids = ensureClassesByName(db, ['used', 'unused'], testTime)
    const [imageId] = addImages(db, ['a.png'])
    applyLabelChanges(db, imageId!, 'draw box', [{ op: 'create', state: { classId: ids.get('used')!, box: [0, 0, 5, 5] } }], testTime)
    expect(() => deleteUnusedClass(db, ids.get('used')!)).toThrow(/still used/)
    deleteUnusedClass(db, ids.get('unused')!)
    expect(listClasses(db).map((c) => c.name)).toEqual(['used'])
    expect(createClass(db, 'later', testTime).id).toBeGreaterThan(ids.get('unused')!)
  })
})
