import { describe, expect, it } from 'vitest'
import { createLabelSession } from '../../../../src-renderer/src/editor/label-session'
import { createFakeLabelApi, label } from './fake-label-api'

function setup() {
  const fake = createFakeLabelApi({
    1: {
      labels: [label(1, 7, [10, 10, 50, 50]), label(2, 8, [60, 10, 90, 40])],
      suggestions: [{ id: 500, classId: 7, score: 0.31, box: [5, 60, 30, 90] }],
    },
    2: { labels: [] },
  })
  const errors: string[] = []
  const session = createLabelSession(fake.api, { editorId: WINDOW, onError: (_error, what) => errors.push(what) })
  return { fake, session, errors }
}

const WINDOW = 'window-under-test'

describe('label session', () => {
  it('loads the labels and suggestions of an image', async () => {
    const { session } = setup()
    await session.load(1)
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1, 2])
    expect(session.state.current?.suggestions.map((item) => item.id)).toEqual([500])
    expect(session.state.history).toEqual({ undo: null, redo: null })
  })

  it('shows an update at once, before the answer, then the project’s version', async () => {
    const { session } = setup()
    await session.load(1)
    const sent = session.edit('move', [{ op: 'update', labelId: 1, classId: 7, box: [20, 20, 60, 60] }])
    expect(session.state.current?.labels[0]?.box).toEqual([20, 20, 60, 60])
    const outcome = await sent
    expect(outcome?.history.undo).toEqual({ command: 'move', imageId: 1 })
    expect(session.state.current?.labels[0]?.box).toEqual([20, 20, 60, 60])
  })

  it('selects what a draw created and remembers its class for the next box', async () => {
    const { session } = setup()
    await session.load(1)
    const outcome = await session.edit('draw', [{ op: 'create', classId: 8, box: [1, 1, 9, 9] }], { selectCreated: true })
    expect(session.state.selection).toEqual(outcome?.createdLabelIds)
    expect(session.state.lastClassId).toBe(8)
  })

  it('sends edits one after another in the order they were made', async () => {
    const { session, fake } = setup()
    await session.load(1)
    const edits = [1, 2, 3].map((step) =>
      session.edit('nudge', [{ op: 'update', labelId: 1, classId: 7, box: [10 + step, 10, 50 + step, 50] }]),
    )
    await Promise.all(edits)
    expect(fake.images.get(1)!.labels.find((item) => item.id === 1)?.box).toEqual([13, 10, 53, 50])
    expect(session.state.current?.labels[0]?.box).toEqual([13, 10, 53, 50])
  })

  it('keeps later keys on screen when an earlier edit is answered (a fast labeler loses no key)', async () => {
    const { session, fake } = setup()
    await session.load(1)
    const first = session.edit('resize', [{ op: 'update', labelId: 1, classId: 7, box: [10, 10, 40, 50] }])
    const second = session.edit('resize', [{ op: 'update', labelId: 1, classId: 7, box: [10, 10, 41, 50] }])
    await first
    // The first answer holds only the first edit; the second, still unanswered, stays shown, so
    // a key pressed now acts on [10, 10, 41, 50].
    expect(session.state.current?.labels[0]?.box).toEqual([10, 10, 41, 50])
    await second
    expect(session.state.current?.labels[0]?.box).toEqual([10, 10, 41, 50])
    expect(fake.images.get(1)!.labels.find((item) => item.id === 1)?.box).toEqual([10, 10, 41, 50])
  })

  it('undo returns the image it changed, and redo restores the same ids', async () => {
    const { session } = setup()
    await session.load(1)
    await session.edit('delete', [{ op: 'delete', labelId: 2 }])
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1])
    const undone = await session.undo()
    expect(undone?.imageId).toBe(1)
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1, 2])
    await session.redo()
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1])
    expect(session.state.history.redo).toBeNull()
  })

  it('an undo of another image leaves the shown labels alone (the view navigates there)', async () => {
    const { session } = setup()
    await session.load(2)
    await session.edit('draw', [{ op: 'create', classId: 7, box: [1, 1, 9, 9] }])
    await session.load(1)
    const outcome = await session.undo()
    expect(outcome?.imageId).toBe(2)
    expect(session.state.current?.imageId).toBe(1)
    expect(session.state.current?.labels).toHaveLength(2)
  })

  it('keeps the selection by id across a reload, dropping ids that no longer exist', async () => {
    const { session, fake } = setup()
    await session.load(1)
    session.select([1, 2])
    // Another window deleted label 2 and the event names this image.
    fake.images.get(1)!.labels = fake.images.get(1)!.labels.filter((item) => item.id !== 2)
    await session.changed([1])
    expect(session.state.selection).toEqual([1])
    await session.changed([2])
    expect(session.state.selection).toEqual([1])
  })

  it("sends the window's editor identity with every edit, undo, redo and history read", async () => {
    const { session, fake } = setup()
    await session.load(1)
    await session.edit('delete', [{ op: 'delete', labelId: 2 }])
    await session.undo()
    await session.redo()
    const historyCalls = fake.calls.filter((call) => ['labels.edit', 'labels.undo', 'labels.redo', 'labels.history'].includes(call.method))
    expect(historyCalls.map((call) => call.method)).toEqual(['labels.history', 'labels.edit', 'labels.undo', 'labels.redo'])
    expect(historyCalls.every((call) => (call.args as { editorId?: string }).editorId === WINDOW)).toBe(true)
  })

  it("reads nothing again for the echo of its own edit, undo or redo, but does for another window's change", async () => {
    const { session, fake } = setup()
    await session.load(1)
    const reads = () => fake.calls.filter((call) => call.method === 'labels.forImage' || call.method === 'labels.history').length
    const changeIdOf = (method: string) => (fake.calls.filter((call) => call.method === method).at(-1)!.args as { changeId: string }).changeId

    // The echo may come before the answer (events and answers travel apart) or after it.
    const edit = session.edit('move', [{ op: 'update', labelId: 1, classId: 7, box: [20, 20, 60, 60] }])
    await Promise.resolve()
    const before = reads()
    await session.changed([1], changeIdOf('labels.edit'))
    await edit
    await session.undo()
    await session.changed([1], changeIdOf('labels.undo'))
    await session.redo()
    await session.changed([1], changeIdOf('labels.redo'))
    expect(reads()).toBe(before)
    expect(new Set(['labels.edit', 'labels.undo', 'labels.redo'].map(changeIdOf)).size).toBe(3)

    // Another window's step has another id (or none, from a script): read again.
    fake.images.get(1)!.labels = fake.images.get(1)!.labels.filter((item) => item.id !== 2)
    await session.changed([1], 'another-window-change')
    expect(reads()).toBe(before + 2)
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1])
    await session.changed([1])
    expect(reads()).toBe(before + 4)
  })

  it('notes a selection another window deleted, so the arrows do not fall through to other images', async () => {
    const { session, fake } = setup()
    await session.load(1)
    session.select([2])
    fake.images.get(1)!.labels = fake.images.get(1)!.labels.filter((item) => item.id !== 2)
    await session.changed([1])
    expect(session.state.selection).toEqual([])
    expect(session.state.selectionLostElsewhere).toBe(true)
    session.select([1])
    expect(session.state.selectionLostElsewhere).toBe(false)
    // The labeler's own delete empties the selection too, but that is no surprise.
    await session.edit('delete', [{ op: 'delete', labelId: 1 }])
    expect(session.state.selection).toEqual([])
    expect(session.state.selectionLostElsewhere).toBe(false)
  })

  it('reads the history again when an undo is refused', async () => {
    const { session, fake, errors } = setup()
    await session.load(1)
    await session.edit('delete', [{ op: 'delete', labelId: 2 }])
    const call = fake.api.call
    fake.api.call = (async (method: string, args: never) => {
      if (method === 'labels.undo') throw new Error('Cannot undo "delete": another window changed label 2 since')
      return call(method as never, args)
    }) as typeof call
    expect(await session.undo()).toBeNull()
    expect(errors).toEqual(['failures.undo'])
    expect(fake.calls.at(-1)?.method).toBe('labels.history')
  })

  it('a failed edit is reported and the labels are read again', async () => {
    const { session, errors } = setup()
    await session.load(1)
    await session.edit('move', [{ op: 'update', labelId: 999, classId: 7, box: [1, 1, 5, 5] }])
    await session.settled()
    expect(errors).toEqual(['failures.saveEdit'])
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1, 2])
  })

  it('copies the selected boxes as class and box only', async () => {
    const { session } = setup()
    await session.load(1)
    session.select([2])
    expect(session.copy()).toBe(1)
    expect(session.state.clipboard).toEqual([{ classId: 8, box: [60, 10, 90, 40] }])
  })

  it('shows prefetched labels of a neighbour at once, then the fresh ones', async () => {
    const { session, fake } = setup()
    await session.load(1)
    session.prefetch([2])
    await session.settled()
    await new Promise((resolve) => setTimeout(resolve, 0))
    fake.images.get(2)!.labels.push(label(77, 7, [1, 1, 5, 5]))
    const loading = session.load(2)
    expect(session.state.current?.imageId).toBe(2)
    expect(session.state.current?.labels).toEqual([])
    await loading
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([77])
  })

  it('drops a prefetched image when another window changes it', async () => {
    const { session } = setup()
    await session.load(1)
    session.prefetch([2])
    await new Promise((resolve) => setTimeout(resolve, 0))
    await session.changed([2])
    const loading = session.load(2)
    expect(session.state.current).toBeNull()
    await loading
  })
})
