import { describe, expect, it } from 'vitest'
import type { EditorBox, PointerInput } from '../../../../src-renderer/src/editor/editor-types'
import { createPointerTool, type ToolContext } from '../../../../src-renderer/src/editor/pointer-tool'

const frame = { width: 200, height: 100 }
const boxes: EditorBox[] = [
  { id: 1, classId: 7, box: [10, 10, 50, 50] },
  { id: 2, classId: 8, box: [100, 20, 140, 60] },
]

function context(overrides: Partial<ToolContext> = {}): ToolContext {
  return { boxes, suggestions: [], selection: new Set(), selectedSuggestion: null, frame, scale: 1, tool: 'select', spaceHeld: false, ...overrides }
}

/** Scale 1 and no offset: stage and image points coincide. */
function at(x: number, y: number, extra: Partial<PointerInput> = {}): PointerInput {
  return { stage: { x, y }, image: { x, y }, button: 0, shift: false, ctrl: false, alt: false, ...extra }
}

describe('pointer tool: select and move', () => {
  it('selects a box on press and commits a drag as one move on release', () => {
    const tool = createPointerTool()
    expect(tool.down(at(20, 20), context())).toEqual([{ type: 'select', labelIds: [1] }])
    const selected = context({ selection: new Set([1]) })
    expect(tool.move(at(25, 22), selected)).toEqual([])
    expect(tool.move(at(30, 25), selected)).toEqual([])
    expect(tool.state.kind).toBe('dragging')
    expect(tool.preview().boxes).toEqual([{ id: 1, classId: 7, box: [20, 15, 60, 55] }])
    expect(tool.up(at(30, 25), selected)).toEqual([{ type: 'commit-move', boxes: [{ id: 1, classId: 7, box: [20, 15, 60, 55] }] }])
    expect(tool.state.kind).toBe('idle')
    expect(tool.preview().boxes).toEqual([])
  })

  it('a click without movement commits nothing', () => {
    const tool = createPointerTool()
    tool.down(at(20, 20), context())
    tool.move(at(21, 20), context({ selection: new Set([1]) }))
    expect(tool.up(at(21, 20), context({ selection: new Set([1]) }))).toEqual([])
  })

  it('cancel (Esc) during a drag rolls the preview back and commits nothing', () => {
    const tool = createPointerTool()
    tool.down(at(20, 20), context())
    tool.move(at(60, 60), context({ selection: new Set([1]) }))
    expect(tool.preview().boxes).toHaveLength(1)
    tool.cancel()
    expect(tool.preview().boxes).toEqual([])
    expect(tool.up(at(60, 60), context({ selection: new Set([1]) }))).toEqual([])
  })

  it('keeps a dragged group inside the image, whole', () => {
    const tool = createPointerTool()
    const selected = context({ selection: new Set([1, 2]) })
    tool.down(at(120, 30), selected)
    tool.move(at(300, 30), selected)
    const [effect] = tool.up(at(300, 30), selected)
    expect(effect).toEqual({
      type: 'commit-move',
      boxes: [
        { id: 1, classId: 7, box: [70, 10, 110, 50] },
        { id: 2, classId: 8, box: [160, 20, 200, 60] },
      ],
    })
  })

  it('shift+click adds a box to the selection and shift+click on a selected one removes it', () => {
    const tool = createPointerTool()
    const one = context({ selection: new Set([1]) })
    expect(tool.down(at(120, 30, { shift: true }), one)).toEqual([{ type: 'select', labelIds: [1, 2] }])
    tool.up(at(120, 30, { shift: true }), one)
    const both = context({ selection: new Set([1, 2]) })
    expect(tool.down(at(120, 30, { shift: true }), both)).toEqual([])
    expect(tool.up(at(120, 30, { shift: true }), both)).toEqual([{ type: 'select', labelIds: [1] }])
  })

  it('a drag on empty canvas pans, and a click there clears the selection', () => {
    const tool = createPointerTool()
    const selected = context({ selection: new Set([1]) })
    tool.down(at(80, 80), selected)
    expect(tool.move(at(90, 85), selected)).toEqual([{ type: 'pan', dx: 10, dy: 5 }])
    expect(tool.up(at(90, 85), selected)).toEqual([])
    tool.down(at(80, 80), selected)
    expect(tool.up(at(80, 80), selected)).toEqual([{ type: 'select', labelIds: [] }])
  })

  it('shift+drag on empty canvas selects the boxes inside the marquee', () => {
    const tool = createPointerTool()
    tool.down(at(5, 5, { shift: true }), context())
    tool.move(at(60, 70, { shift: true }), context())
    expect(tool.preview().marquee).toEqual([5, 5, 60, 70])
    expect(tool.up(at(60, 70), context())).toEqual([{ type: 'select', labelIds: [1] }])
  })

  it('Space held pans whatever the tool, even over a box', () => {
    const tool = createPointerTool()
    const drawing = context({ tool: 'draw', spaceHeld: true })
    tool.down(at(20, 20), drawing)
    expect(tool.state.kind).toBe('panning')
    expect(tool.move(at(25, 20), drawing)).toEqual([{ type: 'pan', dx: 5, dy: 0 }])
  })

  it('a press on a suggestion selects it', () => {
    const tool = createPointerTool()
    const withSuggestion = context({ suggestions: [{ id: 99, classId: 7, box: [150, 70, 190, 95] }] })
    expect(tool.down(at(160, 80), withSuggestion)).toEqual([{ type: 'select-suggestion', detectionId: 99 }])
  })
})

describe('pointer tool: resize and draw', () => {
  it('resizes the selected box by a handle and commits one resize', () => {
    const tool = createPointerTool()
    const selected = context({ selection: new Set([1]) })
    tool.down(at(50, 50), selected)
    expect(tool.state.kind).toBe('resizing')
    tool.move(at(70, 80), selected)
    expect(tool.up(at(70, 80), selected)).toEqual([{ type: 'commit-resize', box: { id: 1, classId: 7, box: [10, 10, 70, 80] } }])
  })

  it('draws a box inside the frame, whichever way the drag goes', () => {
    const tool = createPointerTool()
    const drawing = context({ tool: 'draw' })
    tool.down(at(190, 90), drawing)
    tool.move(at(250, 40), drawing)
    expect(tool.preview().drawing).toEqual([190, 40, 200, 90])
    expect(tool.up(at(250, 40), drawing)).toEqual([{ type: 'commit-draw', box: [190, 40, 200, 90] }])
  })

  it('a click with the draw tool draws nothing', () => {
    const tool = createPointerTool()
    const drawing = context({ tool: 'draw' })
    tool.down(at(30, 30), drawing)
    tool.move(at(31, 31), drawing)
    expect(tool.up(at(31, 31), drawing)).toEqual([])
  })
})

describe('pointer tool: clicks at one point step through the boxes under it', () => {
  // A "circle" suggestion inside a "square" label, both inside a large label.
  const square: EditorBox = { id: 1, classId: 7, box: [10, 10, 50, 50] }
  const outer: EditorBox = { id: 3, classId: 8, box: [0, 0, 100, 90] }
  const circle: EditorBox = { id: 99, classId: 9, box: [20, 20, 40, 40] }
  const stacked = (overrides: Partial<ToolContext> = {}) => context({ boxes: [outer, square], suggestions: [circle], ...overrides })

  /** A press and release without movement; returns every effect, and the context those effects leave. */
  function click(tool: ReturnType<typeof createPointerTool>, point: PointerInput, before: ToolContext) {
    const effects = [...tool.down(point, before), ...tool.up(point, before)]
    let after = before
    for (const effect of effects) {
      if (effect.type === 'select') after = { ...after, selection: new Set(effect.labelIds), selectedSuggestion: null }
      if (effect.type === 'select-suggestion') after = { ...after, selection: new Set(), selectedSuggestion: effect.detectionId }
    }
    return { effects, after }
  }

  it('selects the smallest first, then each larger one, then wraps to the smallest', () => {
    const tool = createPointerTool()
    const first = click(tool, at(30, 30), stacked())
    expect(first.effects).toEqual([{ type: 'select-suggestion', detectionId: 99 }])
    const second = click(tool, at(31, 30), first.after)
    expect(second.effects).toEqual([{ type: 'select', labelIds: [1] }])
    const third = click(tool, at(30, 31), second.after)
    expect(third.effects).toEqual([{ type: 'select', labelIds: [3] }])
    const fourth = click(tool, at(30, 30), third.after)
    expect(fourth.effects).toEqual([{ type: 'select-suggestion', detectionId: 99 }])
  })

  it('a click elsewhere, or after the selection changed by other means, starts again from the smallest', () => {
    const tool = createPointerTool()
    const first = click(tool, at(30, 30), stacked())
    const elsewhere = click(tool, at(36, 30), first.after)
    expect(elsewhere.effects).toEqual([{ type: 'select-suggestion', detectionId: 99 }])
    // Tab chose the outer label meanwhile: the next click at the same point is a first click again.
    const afterTab = click(tool, at(36, 30), { ...elsewhere.after, selection: new Set([3]), selectedSuggestion: null })
    expect(afterTab.effects).toEqual([{ type: 'select-suggestion', detectionId: 99 }])
  })

  it('a press on a selected box and a drag moves that box, not the smaller one under the pointer', () => {
    const tool = createPointerTool()
    const outerSelected = stacked({ selection: new Set([3]) })
    expect(tool.down(at(30, 30), outerSelected)).toEqual([])
    tool.move(at(35, 30), outerSelected)
    expect(tool.up(at(35, 30), outerSelected)).toEqual([{ type: 'commit-move', boxes: [{ ...outer, box: [5, 0, 105, 90] }] }])
  })

  it('a click without movement on one of several selected boxes selects that one alone; a drag moves them all', () => {
    const tool = createPointerTool()
    const both = context({ selection: new Set([1, 2]) })
    expect(tool.down(at(120, 30), both)).toEqual([])
    expect(tool.up(at(120, 30), both)).toEqual([{ type: 'select', labelIds: [2] }])
    tool.down(at(120, 30), both)
    tool.move(at(125, 30), both)
    expect(tool.up(at(125, 30), both)).toEqual([
      { type: 'commit-move', boxes: [{ ...boxes[0]!, box: [15, 10, 55, 50] }, { ...boxes[1]!, box: [105, 20, 145, 60] }] },
    ])
  })

  it('a drag that starts on a suggestion inside a label moves the label and selects it', () => {
    const tool = createPointerTool()
    expect(tool.down(at(30, 30), stacked())).toEqual([{ type: 'select-suggestion', detectionId: 99 }])
    expect(tool.move(at(40, 30), stacked({ selectedSuggestion: 99 }))).toEqual([{ type: 'select', labelIds: [1] }])
    expect(tool.up(at(40, 30), stacked({ selection: new Set([1]) }))).toEqual([
      { type: 'commit-move', boxes: [{ ...square, box: [20, 10, 60, 50] }] },
    ])
  })

  it('a drag after cycling moves the box the clicks chose', () => {
    const tool = createPointerTool()
    const first = click(tool, at(30, 30), stacked())
    const second = click(tool, at(30, 30), first.after)
    expect(second.after.selection).toEqual(new Set([1]))
    tool.down(at(30, 30), second.after)
    tool.move(at(30, 40), second.after)
    expect(tool.up(at(30, 40), second.after)).toEqual([{ type: 'commit-move', boxes: [{ ...square, box: [10, 20, 50, 60] }] }])
  })
})
