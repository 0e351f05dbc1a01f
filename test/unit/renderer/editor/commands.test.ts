import { describe, expect, it } from 'vitest'
import type { CommandContext, KeyInput } from '../../../../src-renderer/src/editor/command-types'
import { EDITOR_COMMANDS } from '../../../../src-renderer/src/editor/commands'
import { formatBinding } from '../../../../src-renderer/src/editor/key-bindings'
import { createKeyRouter } from '../../../../src-renderer/src/editor/key-router'
import { createLabelSession } from '../../../../src-renderer/src/editor/label-session'
import { createFakeLabelApi, label } from './fake-label-api'
import { wordsOf } from '../i18n/words-of'

const english = wordsOf('en')

function key(name: string, modifiers: Partial<KeyInput> = {}): KeyInput {
  return { key: name, ctrl: false, shift: false, alt: false, ...modifiers }
}

async function setup() {
  const fake = createFakeLabelApi({
    1: {
      labels: [label(1, 7, [10, 10, 50, 50]), label(2, 8, [60, 10, 90, 40])],
      suggestions: [
        { id: 500, classId: 9, score: 0.31, box: [5, 60, 30, 90] },
        // Inside label 1: clicking there selects the label, S reaches it.
        { id: 501, classId: 7, score: 0.62, box: [20, 20, 30, 30] },
      ],
    },
  })
  const session = createLabelSession(fake.api)
  await session.load(1)
  const done: string[] = []
  const context: CommandContext = {
    session,
    frame: { width: 100, height: 100 },
    classIds: [7, 8, 9],
    visibleSuggestions: session.state.current!.suggestions,
    tool: 'select',
    setTool: (tool) => {
      context.tool = tool
      done.push(`tool ${tool}`)
    },
    cancelGesture: () => false,
    openClassPicker: () => done.push('picker'),
    toggleShortcuts: () => done.push('shortcuts'),
    toggleSidePanels: () => done.push('side panels'),
    fit: () => done.push('fit'),
    actualSize: () => done.push('actual size'),
    zoomIn: () => done.push('zoom in'),
    zoomOut: () => done.push('zoom out'),
    next: () => done.push('next'),
    previous: () => done.push('previous'),
    backToGrid: () => done.push('grid'),
    markReviewedAndNext: () => done.push('reviewed, next'),
    toggleReviewed: () => done.push('toggle reviewed'),
    nextUnreviewed: () => done.push('next unreviewed'),
    stepEvaluationList: (delta) => done.push(`list ${delta}`),
    undo: () => session.undo(),
    redo: () => session.redo(),
    copyPrevious: () => done.push('copy previous'),
    // What the person reads, in English.
    inform: (key, values) => done.push(english.t(`imageView.messages.${key}`, values)),
  }
  const router = createKeyRouter(EDITOR_COMMANDS)
  return { fake, session, context, router, done }
}

describe('editor commands through the key router', () => {
  it('arrows nudge a selected box (Shift: 10 px) and step through images otherwise', async () => {
    const { session, context, router, done } = await setup()
    router.keydown(key('ArrowRight'), context)
    expect(done).toEqual(['next'])
    session.select([1])
    router.keydown(key('ArrowRight'), context)
    router.keydown(key('ArrowDown', { shift: true }), context)
    await session.settled()
    expect(session.state.current?.labels[0]?.box).toEqual([11, 20, 51, 60])
    expect(done).toEqual(['next'])
  })

  it('Shift+arrows only nudge: with no box selected they do nothing, never switch images', async () => {
    const { context, router, done } = await setup()
    router.keydown(key('ArrowRight', { shift: true }), context)
    router.keydown(key('ArrowLeft', { shift: true }), context)
    expect(done).toEqual([])
  })

  it('a selection another window deleted is dropped without turning a nudge into a trip to another image', async () => {
    const { fake, session, context, router, done } = await setup()
    session.select([1])
    router.keydown(key('ArrowRight', { shift: true }), context)
    await session.settled()
    // Another window deletes the selected box; its notification arrives between two key presses.
    fake.images.get(1)!.labels = fake.images.get(1)!.labels.filter((item) => item.id !== 1)
    await session.changed([1])
    expect(session.state.selection).toEqual([])
    router.keydown(key('ArrowRight', { shift: true }), context, true)
    router.keydown(key('ArrowRight'), context)
    expect(done.filter((entry) => entry === 'next')).toEqual([])
    expect(done.at(-1)).toMatch(/deleted in another window/)
    // Esc (or selecting) ends it: plain arrows step through images again.
    router.keydown(key('Escape'), context)
    router.keydown(key('ArrowRight'), context)
    expect(done.at(-1)).toBe('next')
  })

  it('A and D go to the previous and next image; Ctrl+A selects every box', async () => {
    const { session, context, router, done } = await setup()
    router.keydown(key('a'), context)
    router.keydown(key('D', { shift: true }), context)
    router.keydown(key('a', { ctrl: true }), context)
    expect(done).toEqual(['previous', 'next'])
    expect(session.state.selection).toEqual([1, 2])
  })

  it('[ and ] step through the evaluation list', async () => {
    const { context, router, done } = await setup()
    router.keydown(key(']'), context)
    router.keydown(key('['), context)
    expect(done).toEqual(['list 1', 'list -1'])
  })

  it('number keys relabel the selection with the project’s classes in order', async () => {
    const { session, context, router } = await setup()
    session.select([1, 2])
    router.keydown(key('3'), context)
    await session.settled()
    expect(session.state.current?.labels.map((item) => item.classId)).toEqual([9, 9])
    expect(session.state.lastClassId).toBe(9)
    expect(session.state.history.undo?.command).toBe('relabel')
  })

  it('a digit before drawing arms the class; after a draw it arms the next box’s class and leaves the new box alone', async () => {
    const { session, context, router } = await setup()
    expect(session.state.classArmed).toBe(false)
    router.keydown(key('2'), context)
    expect(session.state).toMatchObject({ lastClassId: 8, classArmed: true })
    expect(session.state.history.undo).toBeNull()
    // W, drag: the box is drawn with class 2 and selected as the new drawing.
    await session.edit('draw', [{ op: 'create', classId: 8, box: [20, 60, 40, 80] }], { selectCreated: true })
    await session.settled()
    const drawn = session.state.selection[0]!
    expect(session.state.selectionIsNewDrawing).toBe(true)
    router.keydown(key('3'), context)
    await session.settled()
    expect(session.state.current?.labels.find((item) => item.id === drawn)?.classId).toBe(8)
    expect(session.state.lastClassId).toBe(9)
    // Selected on purpose, the same box is relabelled by a digit.
    session.select([drawn])
    router.keydown(key('1'), context)
    await session.settled()
    expect(session.state.current?.labels.find((item) => item.id === drawn)?.classId).toBe(7)
  })

  it('Delete removes the selection; Ctrl+Z brings it back and Ctrl+Shift+Z / Ctrl+Y redo', async () => {
    const { session, context, router } = await setup()
    session.select([2])
    router.keydown(key('Delete'), context)
    await session.settled()
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1])
    router.keydown(key('z', { ctrl: true }), context)
    await session.settled()
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1, 2])
    router.keydown(key('Z', { ctrl: true, shift: true }), context)
    await session.settled()
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1])
    router.keydown(key('z', { ctrl: true }), context)
    router.keydown(key('y', { ctrl: true }), context)
    await session.settled()
    expect(session.state.current?.labels.map((item) => item.id)).toEqual([1])
  })

  it('Enter accepts the selected suggestion, keeping its detection id and score', async () => {
    const { session, context, router } = await setup()
    session.selectSuggestion(500)
    router.keydown(key('Enter'), context)
    await session.settled()
    const accepted = session.state.current?.labels.find((item) => item.detectionId === 500)
    expect(accepted).toMatchObject({ classId: 9, score: 0.31, origin: 'detection', box: [5, 60, 30, 90] })
    expect(session.state.selection).toEqual([accepted?.id])
    expect(session.state.current?.suggestions.map((suggestion) => suggestion.id)).toEqual([501])
  })

  it('Alt+arrows grow the selected box on that side, Ctrl+arrows shrink it (Shift: 10 px), within the image', async () => {
    const { session, context, router, done } = await setup()
    session.select([1]) // [10, 10, 50, 50] on a 100×100 image
    router.keydown(key('ArrowRight', { alt: true }), context)
    router.keydown(key('ArrowUp', { alt: true, shift: true }), context)
    router.keydown(key('ArrowLeft', { ctrl: true }), context)
    router.keydown(key('ArrowDown', { ctrl: true, shift: true }), context)
    await session.settled()
    expect(session.state.current?.labels[0]?.box).toEqual([11, 0, 51, 40])
    expect(session.state.history.undo?.command).toBe('resize')
    // Pushed past the image's edge it stops there; pulled in it keeps a minimum size.
    for (let press = 0; press < 12; press++) router.keydown(key('ArrowRight', { alt: true, shift: true }), context)
    for (let press = 0; press < 6; press++) router.keydown(key('ArrowUp', { ctrl: true, shift: true }), context)
    await session.settled()
    expect(session.state.current?.labels[0]?.box).toEqual([11, 39, 100, 40])
    // The other box never moved, nor did the image change.
    expect(session.state.current?.labels[1]?.box).toEqual([60, 10, 90, 40])
    expect(done).toEqual([])
  })

  it('Alt+arrows without a selection say what to do instead of leaving the page', async () => {
    const { context, router, done } = await setup()
    expect(router.keydown(key('ArrowLeft', { alt: true }), context)).toBeTruthy()
    expect(done).toEqual(['Select a box to resize it (Tab, or click it)'])
  })

  it('S and Shift+S step through the suggestions shown, best first; Shift+Enter accepts every one shown', async () => {
    const { session, context, router, done } = await setup()
    router.keydown(key('s'), context)
    expect(session.state.selectedSuggestion).toBe(501)
    router.keydown(key('s'), context)
    expect(session.state.selectedSuggestion).toBe(500)
    router.keydown(key('S', { shift: true }), context)
    expect(session.state.selectedSuggestion).toBe(501)
    router.keydown(key('Enter', { shift: true }), context)
    await session.settled()
    expect(session.state.current?.labels.filter((item) => item.origin === 'detection').map((item) => item.detectionId).sort()).toEqual([500, 501])
    expect(session.state.history.undo?.command).toBe('accept-suggestion')
    context.visibleSuggestions = []
    router.keydown(key('s'), context)
    expect(done).toEqual(['No suggestions shown (the suggestion threshold and class filter choose them)'])
  })

  it('Ctrl+D duplicates and selects the copy; Ctrl+C then Ctrl+V pastes', async () => {
    const { session, context, router } = await setup()
    session.select([1])
    router.keydown(key('d', { ctrl: true }), context)
    await session.settled()
    expect(session.state.current?.labels).toHaveLength(3)
    expect(session.selectedLabels()[0]?.box).toEqual([20, 20, 60, 60])
    router.keydown(key('c', { ctrl: true }), context)
    router.keydown(key('v', { ctrl: true }), context)
    await session.settled()
    expect(session.state.current?.labels).toHaveLength(4)
    expect(session.state.history.undo?.command).toBe('paste')
  })

  it('Space released runs "reviewed, next"; Space held through a drag only pans', async () => {
    const { context, router, done } = await setup()
    expect(router.keydown(key(' '), context)).toBe('space')
    expect(router.spaceHeld).toBe(true)
    router.keyup(key(' '), context)
    expect(done).toEqual(['reviewed, next'])
    router.keydown(key(' '), context)
    router.notePan()
    router.keyup(key(' '), context)
    expect(done).toEqual(['reviewed, next'])
    router.keydown(key('n'), context)
    expect(done).toEqual(['reviewed, next', 'next unreviewed'])
  })

  it('Esc leaves the draw tool, then clears the selection, and never goes back to the grid; G does', async () => {
    const { session, context, router, done } = await setup()
    router.keydown(key('w'), context)
    expect(context.tool).toBe('draw')
    session.select([1])
    router.keydown(key('Escape'), context)
    expect(context.tool).toBe('select')
    router.keydown(key('Escape'), context)
    expect(session.state.selection).toEqual([])
    router.keydown(key('Escape'), context)
    router.keydown(key('Escape'), context)
    expect(done).toEqual(['tool draw', 'tool select'])
    router.keydown(key('g'), context)
    expect(done).toEqual(['tool draw', 'tool select', 'grid'])
  })

  it('P folds or shows the side panels, with or without a selection', async () => {
    const { session, context, router, done } = await setup()
    router.keydown(key('p'), context)
    session.select([1])
    router.keydown(key('P', { shift: true }), context)
    expect(done).toEqual(['side panels', 'side panels'])
  })

  it('every command has a unique name, a title and at least one key, and no two share a key unguarded', () => {
    const names = EDITOR_COMMANDS.map((command) => command.name)
    expect(new Set(names).size).toBe(names.length)
    for (const command of EDITOR_COMMANDS) {
      expect(command.title.length).toBeGreaterThan(5)
      expect(command.keys.length).toBeGreaterThan(0)
    }
    const unguarded = EDITOR_COMMANDS.filter((command) => !command.predicate).flatMap((command) =>
      command.keys.map((binding) => `${formatBinding(binding)}${binding.shift === undefined ? '' : `/${binding.shift}`}`),
    )
    expect(new Set(unguarded).size).toBe(unguarded.length)
    expect(formatBinding({ key: 'z', ctrl: true, shift: true })).toBe('Ctrl+Shift+Z')
  })
})
