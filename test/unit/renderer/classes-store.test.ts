import type { ProjectClass } from '@shared/api/types'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineClassesStore } from '../../../src-renderer/src/stores/define-classes-store'
import { type Notice, useNoticesStore, wordNotice } from '../../../src-renderer/src/stores/notices'
import { createFakeStoreClient, createManualTimers, settle, type FakeStoreClient } from './fake-store-client'
import { wordsOf } from './i18n/words-of'

/** A notice as the person reads it in English. */
const english = (notice: Notice) => wordNotice(notice, wordsOf('en'))

function projectClass(id: number, name: string, order: number, labelCount = 0): ProjectClass {
  return { id, name, color: '#112233', order, labelCount, detectionCount: 0 }
}

/** A class list kept on the "main side" of the fake client, changed by create/update/merge as the API would. */
function classesBackend(initial: ProjectClass[]): { client: FakeStoreClient; list: ProjectClass[] } {
  const list = [...initial]
  const client = createFakeStoreClient({
    'classes.list': () => list.map((entry) => ({ ...entry })),
    'classes.create': ({ name, color }) => {
      const created = projectClass(Math.max(0, ...list.map((entry) => entry.id)) + 1, name, list.length)
      if (color) created.color = color
      list.push(created)
      return created
    },
    'classes.update': ({ classId, name, color }) => {
      const entry = list.find((candidate) => candidate.id === classId)
      if (!entry) throw new Error(`No class ${classId}`)
      if (name !== undefined) entry.name = name
      if (color !== undefined) entry.color = color
      return { ...entry }
    },
    'classes.merge': ({ classId, intoClassId }) => {
      const from = list.findIndex((candidate) => candidate.id === classId)
      const into = list.find((candidate) => candidate.id === intoClassId)
      const moved = list[from]?.labelCount ?? 0
      if (into) into.labelCount += moved
      list.splice(from, 1)
      return { labelsMoved: moved }
    },
  })
  return { client, list }
}

describe('classes store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('lists the classes in the project order, whatever order the answer has', async () => {
    const { client } = classesBackend([projectClass(3, 'truck', 2), projectClass(1, 'car', 0), projectClass(2, 'person', 1)])
    const store = defineClassesStore(client)()
    await store.refresh()
    expect(store.classes.map((entry) => entry.name)).toEqual(['car', 'person', 'truck'])
    expect(store.nameOf(2)).toBe('person')
    expect(store.nameOf(99)).toBe('class 99')
  })

  it('adds, renames and recolours a class and shows the list the main side then has', async () => {
    const { client } = classesBackend([projectClass(1, 'car', 0)])
    const store = defineClassesStore(client)()
    await store.refresh()
    const created = await store.create('  traffic cone ', '#ff8800')
    expect(created).toMatchObject({ name: '  traffic cone ', color: '#ff8800' })
    expect(client.callsOf('classes.create')).toEqual([{ name: '  traffic cone ', color: '#ff8800' }])
    await store.rename(2, 'cone')
    await store.recolor(1, '#00ff00')
    expect(client.callsOf('classes.update')).toEqual([
      { classId: 2, name: 'cone' },
      { classId: 1, color: '#00ff00' },
    ])
    expect(store.classes.map((entry) => [entry.name, entry.color])).toEqual([
      ['car', '#00ff00'],
      ['cone', '#ff8800'],
    ])
  })

  it('merges one class into another and reports how many labels moved', async () => {
    const { client } = classesBackend([projectClass(1, 'car', 0, 5), projectClass(2, 'auto', 1, 3)])
    const store = defineClassesStore(client)()
    await store.refresh()
    expect(await store.merge(2, 1)).toBe(3)
    expect(store.lastMerge).toEqual({ from: 'auto', into: 'car', labelsMoved: 3 })
    expect(store.classes.map((entry) => [entry.name, entry.labelCount])).toEqual([['car', 8]])
  })

  it('reports a refused change as a notice and keeps the list as it was', async () => {
    const { client } = classesBackend([projectClass(1, 'car', 0)])
    client.handlers['classes.update'] = () => {
      throw new Error('A class named "car" exists already')
    }
    const store = defineClassesStore(client)()
    await store.refresh()
    expect(await store.rename(1, 'car')).toBeNull()
    expect(store.busy).toBe(false)
    expect(useNoticesStore().notices.map(english)).toEqual([
      'Could not rename car: A class named "car" exists already',
    ])
    expect(store.classes.map((entry) => entry.name)).toEqual(['car'])
  })

  it('reads the list again on classes.changed, and once per burst of labels.changed for the counts', async () => {
    const { client, list } = classesBackend([projectClass(1, 'car', 0)])
    const timers = createManualTimers()
    const store = defineClassesStore(client, timers)()
    await store.refresh()
    list.push(projectClass(2, 'bus', 1))
    client.emit({ type: 'classes.changed' })
    await settle()
    expect(store.classes.map((entry) => entry.name)).toEqual(['car', 'bus'])

    const before = client.callsOf('classes.list').length
    for (let image = 1; image <= 500; image++) client.emit({ type: 'labels.changed', imageIds: [image] })
    expect(client.callsOf('classes.list').length).toBe(before)
    timers.fireAll()
    await settle()
    expect(client.callsOf('classes.list').length).toBe(before + 1)
  })
})
