import { boxFromCorners, clipBox, type Box, type FrameSize } from '@shared/geometry/box'
import { resizeBox } from './box-resize'
import type { EditorBox, HandleName, Point, PointerInput } from './editor-types'
import { MIN_BOX_SIZE } from './editor-types'
import { boxAt, boxesInside, boxesUnder, handleAt, nextInStack, sameStackedBox, type StackedBox } from './hit-test'

export type ToolName = 'select' | 'draw'

/** Stage pixels a pointer may wander before a press becomes a drag rather than a click. */
export const DRAG_THRESHOLD = 3
/** Stage pixels around a box edge or handle that still count as hitting it. */
export const HIT_TOLERANCE = 4
export const HANDLE_RADIUS = 6
/** A drawn rectangle smaller than this on screen was a click, not a box. */
const MIN_DRAWN_STAGE_SIZE = 4

/** What the tool sees of the editor when an event arrives. */
export interface ToolContext {
  boxes: readonly EditorBox[]
  /** Suggestions on screen (their id is the detection id); a click selects one. */
  suggestions: readonly EditorBox[]
  selection: ReadonlySet<number>
  /** The selected suggestion's detection id, if one is selected. */
  selectedSuggestion: number | null
  frame: FrameSize | null
  /** Stage pixels per image pixel. */
  scale: number
  tool: ToolName
  /** Space held: any press pans, whatever the tool. */
  spaceHeld: boolean
}

/** What a pointer event asks the editor to do. Commits are whole gestures: one edit each. */
export type ToolEffect =
  | { type: 'select'; labelIds: number[] }
  | { type: 'select-suggestion'; detectionId: number }
  | { type: 'pan'; dx: number; dy: number }
  | { type: 'commit-move'; boxes: EditorBox[] }
  | { type: 'commit-resize'; box: EditorBox }
  | { type: 'commit-draw'; box: Box }

export type ToolState =
  | { kind: 'idle' }
  | { kind: 'panning'; last: Point; origin: Point; moved: boolean; clearOnClick: boolean; chosen: StackedBox | null }
  | { kind: 'drawing'; origin: Point; current: Box }
  | {
      kind: 'dragging'
      origin: Point
      originStage: Point
      starts: EditorBox[]
      current: EditorBox[]
      moved: boolean
      toggleOnClick: number | null
      /** What a click (a press without movement) here selects. */
      chosen: StackedBox | null
      /** Whether that choice still has to be made on release (the press kept a selected box to drag). */
      selectOnClick: boolean
      /** Labels to select once the press becomes a drag (the press chose a suggestion inside them). */
      selectOnDrag: number[] | null
    }
  | { kind: 'resizing'; handle: HandleName; origin: Point; originStage: Point; start: EditorBox; current: Box; moved: boolean }
  | { kind: 'marquee'; origin: Point; current: Box; additive: boolean }

/** What to draw over the committed boxes while a gesture is in progress. */
export interface ToolPreview {
  /** Boxes being moved or resized, at their preview position; drawn instead of their committed one. */
  boxes: EditorBox[]
  drawing: Box | null
  marquee: Box | null
}

const NO_PREVIEW: ToolPreview = { boxes: [], drawing: null, marquee: null }

/** The selected suggestion, else the one selected label: what a repeated click steps on from. */
function currentChoice(context: ToolContext): StackedBox | null {
  if (context.selectedSuggestion !== null) return { kind: 'suggestion', id: context.selectedSuggestion }
  if (context.selection.size === 1) return { kind: 'label', id: [...context.selection][0]! }
  return null
}

function selectEffect(item: StackedBox): ToolEffect {
  return item.kind === 'label' ? { type: 'select', labelIds: [item.id] } : { type: 'select-suggestion', detectionId: item.id }
}

/**
 * The pointer tools as one small state machine (idle, panning, drawing, dragging, resizing,
 * marquee). A gesture is previewed locally and committed as one effect on pointer-up; cancel
 * (Esc) rolls it back and commits nothing.
 *
 * Clicks at one point step through the boxes under it, smallest first (issue 19): the first
 * selects the smallest label or suggestion there, each further click at (nearly) the same
 * point, with nothing else chosen in between, the next larger one, wrapping around.
 */
export function createPointerTool() {
  let state: ToolState = { kind: 'idle' }
  /** The last click of the select tool: where it was and what it selected. */
  let lastClick: { stage: Point; chosen: StackedBox } | null = null

  function clampToFrame(point: Point, frame: FrameSize | null): Point {
    if (!frame) return point
    return { x: Math.min(frame.width, Math.max(0, point.x)), y: Math.min(frame.height, Math.max(0, point.y)) }
  }

  function down(input: PointerInput, context: ToolContext): ToolEffect[] {
    if (state.kind !== 'idle') return []
    const previousClick = lastClick
    lastClick = null
    const tolerance = HIT_TOLERANCE / context.scale
    if (input.button === 1 || context.spaceHeld) {
      state = { kind: 'panning', last: input.stage, origin: input.stage, moved: false, clearOnClick: false, chosen: null }
      return []
    }
    if (input.button !== 0 || !context.frame) return []
    if (context.tool === 'draw') {
      const origin = clampToFrame(input.image, context.frame)
      state = { kind: 'drawing', origin, current: boxFromCorners(origin.x, origin.y, origin.x, origin.y) }
      return []
    }
    if (context.selection.size === 1) {
      const selected = context.boxes.find((candidate) => context.selection.has(candidate.id))
      const handle = selected ? handleAt(selected.box, input.image, HANDLE_RADIUS / context.scale) : null
      if (selected && handle) {
        state = { kind: 'resizing', handle, origin: input.image, originStage: input.stage, start: selected, current: selected.box, moved: false }
        return []
      }
    }
    if (input.shift) return shiftDown(input, context, tolerance)
    const stack = boxesUnder(context.boxes, context.suggestions, input.image, tolerance)
    const current = currentChoice(context)
    const repeated =
      previousClick !== null && distance(previousClick.stage, input.stage) < DRAG_THRESHOLD && sameStackedBox(previousClick.chosen, current)
    const chosen = (repeated ? nextInStack(stack, current) : stack[0]) ?? null
    // A selected label under the pointer is what a drag moves, whatever lies inside it; whether
    // the press was a click that chooses another box is only known on release.
    const hit = boxAt(context.boxes, input.image, tolerance, context.selection)
    if (hit && context.selection.has(hit.id)) {
      startDrag(input, context, [...context.selection], { chosen, selectOnClick: true })
      return []
    }
    if (chosen?.kind === 'label') {
      startDrag(input, context, [chosen.id], { chosen })
      return [selectEffect(chosen)]
    }
    if (chosen?.kind === 'suggestion') {
      // A suggestion inside a label: the press selects the suggestion, a drag still moves the label.
      if (hit) startDrag(input, context, [hit.id], { chosen, selectOnDrag: [hit.id] })
      else state = { kind: 'panning', last: input.stage, origin: input.stage, moved: false, clearOnClick: false, chosen }
      return [selectEffect(chosen)]
    }
    state = { kind: 'panning', last: input.stage, origin: input.stage, moved: false, clearOnClick: true, chosen: null }
    return []
  }

  /** Shift+press: adds a label to the selection (and drags them all), or starts a marquee on empty canvas. */
  function shiftDown(input: PointerInput, context: ToolContext, tolerance: number): ToolEffect[] {
    const hit = boxAt(context.boxes, input.image, tolerance, context.selection)
    if (!hit) {
      const origin = clampToFrame(input.image, context.frame)
      state = { kind: 'marquee', origin, current: boxFromCorners(origin.x, origin.y, origin.x, origin.y), additive: true }
      return []
    }
    const alreadySelected = context.selection.has(hit.id)
    const moving = alreadySelected ? [...context.selection] : [...context.selection, hit.id]
    startDrag(input, context, moving, { toggleOnClick: alreadySelected ? hit.id : null })
    return alreadySelected ? [] : [{ type: 'select', labelIds: moving }]
  }

  function startDrag(
    input: PointerInput,
    context: ToolContext,
    moving: number[],
    options: { chosen?: StackedBox | null; selectOnClick?: boolean; selectOnDrag?: number[]; toggleOnClick?: number | null },
  ): void {
    const starts = context.boxes.filter((candidate) => moving.includes(candidate.id))
    state = {
      kind: 'dragging',
      origin: input.image,
      originStage: input.stage,
      starts,
      current: starts,
      moved: false,
      toggleOnClick: options.toggleOnClick ?? null,
      chosen: options.chosen ?? null,
      selectOnClick: options.selectOnClick ?? false,
      selectOnDrag: options.selectOnDrag ?? null,
    }
  }

  function move(input: PointerInput, context: ToolContext): ToolEffect[] {
    switch (state.kind) {
      case 'idle':
        return []
      case 'panning': {
        const dx = input.stage.x - state.last.x
        const dy = input.stage.y - state.last.y
        state.last = input.stage
        if (distance(input.stage, state.origin) >= DRAG_THRESHOLD) state.moved = true
        return dx === 0 && dy === 0 ? [] : [{ type: 'pan', dx, dy }]
      }
      case 'drawing': {
        const to = clampToFrame(input.image, context.frame)
        state.current = boxFromCorners(state.origin.x, state.origin.y, to.x, to.y)
        return []
      }
      case 'marquee': {
        const to = clampToFrame(input.image, context.frame)
        state.current = boxFromCorners(state.origin.x, state.origin.y, to.x, to.y)
        return []
      }
      case 'dragging': {
        if (!state.moved && distance(input.stage, state.originStage) < DRAG_THRESHOLD) return []
        const startsNow = !state.moved
        state.moved = true
        state.current = moveGroup(state.starts, input.image.x - state.origin.x, input.image.y - state.origin.y, context.frame)
        return startsNow && state.selectOnDrag ? [{ type: 'select', labelIds: state.selectOnDrag }] : []
      }
      case 'resizing': {
        if (!state.moved && distance(input.stage, state.originStage) < DRAG_THRESHOLD) return []
        state.moved = true
        if (!context.frame) return []
        state.current = resizeBox(state.start.box, state.handle, input.image.x - state.origin.x, input.image.y - state.origin.y, {
          keepAspect: input.shift,
          frame: context.frame,
        })
        return []
      }
    }
  }

  function up(_input: PointerInput | null, context: ToolContext): ToolEffect[] {
    const ended = state
    state = { kind: 'idle' }
    switch (ended.kind) {
      case 'idle':
        return []
      case 'panning':
        if (!ended.moved && ended.chosen) lastClick = { stage: ended.origin, chosen: ended.chosen }
        return !ended.moved && ended.clearOnClick && context.selection.size > 0 ? [{ type: 'select', labelIds: [] }] : []
      case 'drawing': {
        const box = context.frame ? clipBox(ended.current, context.frame) : ended.current
        const bigEnough =
          box[2] - box[0] >= MIN_BOX_SIZE &&
          box[3] - box[1] >= MIN_BOX_SIZE &&
          (box[2] - box[0]) * context.scale >= MIN_DRAWN_STAGE_SIZE &&
          (box[3] - box[1]) * context.scale >= MIN_DRAWN_STAGE_SIZE
        return bigEnough ? [{ type: 'commit-draw', box }] : []
      }
      case 'marquee': {
        const inside = boxesInside(context.boxes, ended.current).map((found) => found.id)
        const ids = ended.additive ? [...new Set([...context.selection, ...inside])] : inside
        return [{ type: 'select', labelIds: ids }]
      }
      case 'dragging': {
        if (ended.moved) {
          const changed = ended.current.filter((box, index) => !sameBox(box.box, ended.starts[index]!.box))
          return changed.length > 0 ? [{ type: 'commit-move', boxes: ended.current }] : []
        }
        if (ended.toggleOnClick !== null) {
          const toggled = ended.toggleOnClick
          return [{ type: 'select', labelIds: [...context.selection].filter((id) => id !== toggled) }]
        }
        if (!ended.chosen) return []
        lastClick = { stage: ended.originStage, chosen: ended.chosen }
        return ended.selectOnClick ? [selectEffect(ended.chosen)] : []
      }
      case 'resizing':
        return ended.moved && !sameBox(ended.current, ended.start.box)
          ? [{ type: 'commit-resize', box: { ...ended.start, box: ended.current } }]
          : []
    }
  }

  /** Esc or a lost pointer: the preview is dropped and nothing is committed. */
  function cancel(): void {
    state = { kind: 'idle' }
    lastClick = null
  }

  function preview(): ToolPreview {
    switch (state.kind) {
      case 'dragging':
        return state.moved ? { ...NO_PREVIEW, boxes: state.current } : NO_PREVIEW
      case 'resizing':
        return state.moved ? { ...NO_PREVIEW, boxes: [{ ...state.start, box: state.current }] } : NO_PREVIEW
      case 'drawing':
        return { ...NO_PREVIEW, drawing: state.current }
      case 'marquee':
        return { ...NO_PREVIEW, marquee: state.current }
      default:
        return NO_PREVIEW
    }
  }

  return {
    get state(): Readonly<ToolState> {
      return state
    },
    get busy(): boolean {
      return state.kind !== 'idle'
    },
    down,
    move,
    up,
    cancel,
    preview,
  }
}

export type PointerTool = ReturnType<typeof createPointerTool>

/** Moves boxes together by the same amount, stopping the whole group at the frame's edge. */
export function moveGroup(boxes: readonly EditorBox[], dx: number, dy: number, frame: FrameSize | null): EditorBox[] {
  if (frame && boxes.length > 0) {
    const minX = Math.min(...boxes.map((item) => item.box[0]))
    const minY = Math.min(...boxes.map((item) => item.box[1]))
    const maxX = Math.max(...boxes.map((item) => item.box[2]))
    const maxY = Math.max(...boxes.map((item) => item.box[3]))
    dx = Math.min(frame.width - maxX, Math.max(-minX, dx))
    dy = Math.min(frame.height - maxY, Math.max(-minY, dy))
  }
  return boxes.map((item) => ({ ...item, box: [item.box[0] + dx, item.box[1] + dy, item.box[2] + dx, item.box[3] + dy] }))
}

function sameBox(a: Readonly<Box>, b: Readonly<Box>): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3]
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}
