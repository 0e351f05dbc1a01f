import { moveSideWithinFrame, translateWithinFrame, type Box, type BoxSide, type FrameSize } from '@shared/geometry/box'
import type { Label, LabelChange } from '@shared/api/label-types'
import type { DetectionBox } from '@shared/api/types'
import type { ClassBox, EditorBox } from './editor-types'

/**
 * The changes each editing command sends, as pure functions of the labels on screen. One
 * call builds one gesture's changes: one edit, one undo step.
 */

/** How far a duplicate lands from its original, so it can be seen and grabbed. */
export const DUPLICATE_OFFSET = 10

export function updateChanges(boxes: readonly EditorBox[]): LabelChange[] {
  return boxes.map(({ id, classId, box }) => ({ op: 'update', labelId: id, classId, box: [...box] }))
}

/** Updates for the chosen labels whose box `reshape` changes; unchanged ones send nothing. */
function reshapeChanges(labels: readonly Label[], ids: ReadonlySet<number>, reshape: (box: Readonly<Box>) => Box): LabelChange[] {
  return labels
    .filter((label) => ids.has(label.id))
    .map((label) => ({ label, box: reshape(label.box) }))
    .filter(({ label, box }) => box.some((value, index) => value !== label.box[index]))
    .map(({ label, box }) => ({ op: 'update', labelId: label.id, classId: label.classId, box }))
}

export function nudgeChanges(labels: readonly Label[], ids: ReadonlySet<number>, dx: number, dy: number, frame: FrameSize): LabelChange[] {
  return reshapeChanges(labels, ids, (box) => translateWithinFrame(box, dx, dy, frame))
}

/** One side of each selected box moved `delta` pixels outward (negative: inward). */
export function resizeChanges(labels: readonly Label[], ids: ReadonlySet<number>, side: BoxSide, delta: number, frame: FrameSize): LabelChange[] {
  return reshapeChanges(labels, ids, (box) => moveSideWithinFrame(box, side, delta, frame))
}

export function relabelChanges(labels: readonly Label[], ids: ReadonlySet<number>, classId: number): LabelChange[] {
  return labels
    .filter((label) => ids.has(label.id) && label.classId !== classId)
    .map((label) => ({ op: 'update', labelId: label.id, classId, box: [...label.box] }))
}

export function deleteChanges(ids: Iterable<number>): LabelChange[] {
  return [...ids].map((labelId) => ({ op: 'delete', labelId }))
}

export function duplicateChanges(labels: readonly Label[], ids: ReadonlySet<number>, frame: FrameSize): LabelChange[] {
  return labels
    .filter((label) => ids.has(label.id))
    .map((label) => ({
      op: 'create',
      classId: label.classId,
      box: translateWithinFrame(label.box, DUPLICATE_OFFSET, DUPLICATE_OFFSET, frame),
    }))
}

/**
 * Creates the given boxes on an image of `frame`: boxes from a larger image are moved (not
 * cut) back inside where they fit, and boxes that would be smaller than `minSize` are skipped.
 */
export function createChanges(boxes: readonly ClassBox[], frame: FrameSize, minSize: number): LabelChange[] {
  const changes: LabelChange[] = []
  for (const { classId, box } of boxes) {
    const placed = translateWithinFrame(box, 0, 0, frame)
    if (placed[2] - placed[0] < minSize || placed[3] - placed[1] < minSize) continue
    changes.push({ op: 'create', classId, box: placed })
  }
  return changes
}

export function acceptChanges(suggestions: readonly DetectionBox[]): LabelChange[] {
  return suggestions.map((suggestion) => ({
    op: 'create',
    classId: suggestion.classId,
    box: [...suggestion.box],
    detectionId: suggestion.id,
  }))
}

/** The labels as they look with `changes` applied, for showing an edit before the answer comes. */
export function applyLocally(labels: readonly Label[], changes: readonly LabelChange[]): Label[] {
  const updates = new Map<number, LabelChange & { op: 'update' }>()
  const deletes = new Set<number>()
  for (const change of changes) {
    if (change.op === 'update') updates.set(change.labelId, change)
    if (change.op === 'delete') deletes.add(change.labelId)
  }
  if (updates.size === 0 && deletes.size === 0) return [...labels]
  return labels
    .filter((label) => !deletes.has(label.id))
    .map((label) => {
      const update = updates.get(label.id)
      return update ? { ...label, classId: update.classId, box: [...update.box] } : label
    })
}
