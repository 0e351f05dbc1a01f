import type { EditHistoryState, EditOutcome, ImageLabels, Label, LabelChange } from '@shared/api/label-types'
import type { DetectionBox } from '@shared/api/types'
import type { LabelApi } from '../../../../src-renderer/src/editor/label-session'

interface Step {
  imageId: number
  command: string
  before: Label[]
  after: Label[]
}

/**
 * An in-memory stand-in for the label methods of the API, keeping the contract's promises
 * (ids restored by undo, a project-wide history, outcomes naming the changed image), so the
 * session and commands can be tested in Node.
 */
export function createFakeLabelApi(initial: Record<number, { labels?: Label[]; suggestions?: DetectionBox[] }>) {
  const images = new Map<number, { labels: Label[]; suggestions: DetectionBox[] }>()
  for (const [id, value] of Object.entries(initial)) {
    images.set(Number(id), { labels: value.labels ?? [], suggestions: value.suggestions ?? [] })
  }
  let nextId = 1000
  const done: Step[] = []
  const undone: Step[] = []
  const calls: { method: string; args: unknown }[] = []

  function history(): EditHistoryState {
    const last = done[done.length - 1]
    const redo = undone[undone.length - 1]
    return {
      undo: last ? { command: last.command, imageId: last.imageId } : null,
      redo: redo ? { command: redo.command, imageId: redo.imageId } : null,
    }
  }

  function labelsOf(imageId: number): ImageLabels {
    const image = images.get(imageId)
    if (!image) throw new Error(`No image ${imageId}`)
    const detectionIds = new Set(image.labels.map((label) => label.detectionId))
    return {
      imageId,
      status: 'detected',
      touched: done.some((step) => step.imageId === imageId),
      labels: [...image.labels].sort((a, b) => a.id - b.id),
      labelsLeftOut: 0,
      runId: 1,
      suggestions: image.suggestions.filter((suggestion) => !detectionIds.has(suggestion.id)),
    }
  }

  function apply(imageId: number, changes: LabelChange[]): number[] {
    const image = images.get(imageId)!
    const created: number[] = []
    for (const change of changes) {
      if (change.op === 'create') {
        const suggestion = image.suggestions.find((candidate) => candidate.id === change.detectionId)
        const id = nextId++
        created.push(id)
        image.labels.push({
          id,
          classId: change.classId,
          box: [...change.box],
          origin: suggestion ? 'detection' : 'manual',
          detectionId: suggestion?.id ?? null,
          score: suggestion?.score ?? null,
          source: null,
        })
      } else if (change.op === 'update') {
        const label = image.labels.find((candidate) => candidate.id === change.labelId)
        if (!label) throw new Error(`No label ${change.labelId}`)
        label.classId = change.classId
        label.box = [...change.box]
      } else {
        image.labels = image.labels.filter((candidate) => candidate.id !== change.labelId)
      }
    }
    return created
  }

  const clone = (labels: Label[]) => labels.map((label) => ({ ...label, box: [...label.box] as Label['box'] }))

  function outcome(imageId: number, command: string, createdLabelIds: number[]): EditOutcome {
    return { imageId, command, createdLabelIds, labels: labelsOf(imageId), history: history() }
  }

  const api: LabelApi = {
    call: (async (method: string, args: Record<string, unknown>) => {
      calls.push({ method, args })
      switch (method) {
        case 'labels.forImage':
          return labelsOf(args.imageId as number)
        case 'labels.history':
          return history()
        case 'labels.edit': {
          const imageId = args.imageId as number
          const before = clone(images.get(imageId)!.labels)
          const created = apply(imageId, args.changes as LabelChange[])
          done.push({ imageId, command: args.command as string, before, after: clone(images.get(imageId)!.labels) })
          undone.length = 0
          return outcome(imageId, args.command as string, created)
        }
        case 'labels.undo':
        case 'labels.redo': {
          const step = (method === 'labels.undo' ? done : undone).pop()
          if (!step) return null
          ;(method === 'labels.undo' ? undone : done).push(step)
          images.get(step.imageId)!.labels = clone(method === 'labels.undo' ? step.before : step.after)
          return outcome(step.imageId, step.command, [])
        }
        default:
          throw new Error(`The fake API has no ${method}`)
      }
    }) as LabelApi['call'],
  }
  return { api, images, calls, history }
}

export function label(id: number, classId: number, box: Label['box']): Label {
  return { id, classId, box, origin: 'manual', detectionId: null, score: null, source: null }
}
