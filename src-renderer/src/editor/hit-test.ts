import type { Box } from '@shared/geometry/box'
import { HANDLE_NAMES, type EditorBox, type HandleName, type Point } from './editor-types'

/**
 * Which box is under a point. Among the boxes containing it (edges widened by `tolerance`
 * image pixels), a selected one wins, then the smallest: in a crowd of nested boxes the
 * small one inside a large one would otherwise be unreachable.
 */
export function boxAt(
  boxes: readonly EditorBox[],
  point: Point,
  tolerance: number,
  selected: ReadonlySet<number> = new Set(),
): EditorBox | null {
  let best: EditorBox | null = null
  let bestRank = Infinity
  for (const candidate of boxes) {
    const [x1, y1, x2, y2] = candidate.box
    if (point.x < x1 - tolerance || point.x > x2 + tolerance || point.y < y1 - tolerance || point.y > y2 + tolerance) continue
    const area = (x2 - x1) * (y2 - y1)
    const rank = selected.has(candidate.id) ? -1 : area
    if (rank < bestRank) {
      best = candidate
      bestRank = rank
    }
  }
  return best
}

/** A box under the pointer: a label or a suggestion (its id is then the detection id). */
export interface StackedBox {
  kind: 'label' | 'suggestion'
  id: number
}

/**
 * Every label and suggestion under a point, smallest first (a label before a suggestion of the
 * same area, then by id): the order repeated clicks at one point step through, so a box nested
 * in another, or lying exactly on it, can always be reached with the mouse.
 */
export function boxesUnder(
  labels: readonly EditorBox[],
  suggestions: readonly EditorBox[],
  point: Point,
  tolerance: number,
): StackedBox[] {
  const found: { item: StackedBox; area: number }[] = []
  const collect = (boxes: readonly EditorBox[], kind: StackedBox['kind']) => {
    for (const candidate of boxes) {
      const [x1, y1, x2, y2] = candidate.box
      if (point.x < x1 - tolerance || point.x > x2 + tolerance || point.y < y1 - tolerance || point.y > y2 + tolerance) continue
      found.push({ item: { kind, id: candidate.id }, area: (x2 - x1) * (y2 - y1) })
    }
  }
  collect(labels, 'label')
  collect(suggestions, 'suggestion')
  const kindOrder = (item: StackedBox) => (item.kind === 'label' ? 0 : 1)
  found.sort((a, b) => a.area - b.area || kindOrder(a.item) - kindOrder(b.item) || a.item.id - b.item.id)
  return found.map((entry) => entry.item)
}

/** The box after `current` in a stack, wrapping to the smallest; the smallest when `current` is not in it. */
export function nextInStack(stack: readonly StackedBox[], current: StackedBox | null): StackedBox | undefined {
  const at = current ? stack.findIndex((item) => sameStackedBox(item, current)) : -1
  return stack[at === -1 ? 0 : (at + 1) % stack.length]
}

export function sameStackedBox(a: StackedBox | null, b: StackedBox | null): boolean {
  return a !== null && b !== null && a.kind === b.kind && a.id === b.id
}

/** Where each of the eight resize handles sits on a box. */
export function handlePosition(box: Readonly<Box>, handle: HandleName): Point {
  const [x1, y1, x2, y2] = box
  const midX = (x1 + x2) / 2
  const midY = (y1 + y2) / 2
  const x = handle.includes('w') ? x1 : handle.includes('e') ? x2 : midX
  const y = handle.startsWith('n') ? y1 : handle.startsWith('s') ? y2 : midY
  return { x, y }
}

/** The handle of `box` within `radius` image pixels of the point (corners before edges), or null. */
export function handleAt(box: Readonly<Box>, point: Point, radius: number): HandleName | null {
  for (const handle of HANDLE_NAMES) {
    if (handle.length === 1) continue
    const at = handlePosition(box, handle)
    if (Math.abs(at.x - point.x) <= radius && Math.abs(at.y - point.y) <= radius) return handle
  }
  for (const handle of HANDLE_NAMES) {
    if (handle.length === 2) continue
    const at = handlePosition(box, handle)
    if (Math.abs(at.x - point.x) <= radius && Math.abs(at.y - point.y) <= radius) return handle
  }
  return null
}

/** Boxes lying wholly inside a marquee rectangle. */
export function boxesInside(boxes: readonly EditorBox[], area: Readonly<Box>): EditorBox[] {
  return boxes.filter(({ box }) => box[0] >= area[0] && box[1] >= area[1] && box[2] <= area[2] && box[3] <= area[3])
}
