import type { Api } from '@shared/api/client'
import type { EditCommand, EditHistoryState, EditOutcome, ImageLabels, Label, LabelChange } from '@shared/api/label-types'
import type { ClassBox } from './editor-types'
import { applyLocally } from './label-changes'

/** The part of the API client the session uses, so tests can hand in a small fake. */
export type LabelApi = Pick<Api, 'call'>

export interface LabelSessionState {
  imageId: number | null
  /** The shown image's labels, suggestions and status; null until they have loaded. */
  current: ImageLabels | null
  /** Selected label ids, in the order they were selected. */
  selection: number[]
  /** A selected suggestion (its detection id), for Enter to accept. */
  selectedSuggestion: number | null
  history: EditHistoryState
  /** The class a new box takes: the last one drawn or chosen. */
  lastClassId: number | null
  /**
   * The labeler chose a class (a digit, the class picker): new boxes take it without asking.
   * Until then each drawn box opens the class picker.
   */
  classArmed: boolean
  /**
   * The selection is the box just drawn, not one the labeler chose: digits then choose the
   * next box's class instead of relabelling this one (1, W, drag, 2 must not turn the new box
   * into class 2). Selecting the box makes digits relabel it again.
   */
  selectionIsNewDrawing: boolean
  /**
   * Selected boxes were dropped because someone else (another window, a run) deleted them, not
   * by the labeler. Until the labeler selects again, presses Esc or leaves the image, the arrows
   * stay nudge keys that nudge nothing: a nudge held or repeated across that moment must not
   * turn into "next image" (see commands/nudge.ts).
   */
  selectionLostElsewhere: boolean
  /** Boxes copied (Ctrl+C), kept without ids: a paste creates new labels. */
  clipboard: ClassBox[]
}

export interface LabelSessionOptions {
  /**
   * This window's editor identity, sent with every edit, undo, redo and history read, so the
   * window undoes only its own edits (see editor-identity.ts). Left out, the session works on
   * the history of edits made without one.
   */
  editorId?: string
  /**
   * A failed call: the session has already reloaded the image's labels from the project.
   * `what` is a key of the catalogue's `failures`: what was being done.
   */
  onError?(error: unknown, what: string): void
  /** Makes the id of each edit, undo and redo (see `changeId` in the contract); random by default. */
  newChangeId?(): string
}

/** 16 random bytes in hex: unique across windows, even a duplicated tab that shares the editor id. */
function randomChangeId(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** How many sent change ids are remembered while their events are awaited (failed steps send none). */
const REMEMBERED_CHANGE_IDS = 256

const EMPTY_HISTORY: EditHistoryState = { undo: null, redo: null }

/**
 * The labels of the image on screen and the edits made to them, as plain data over the API.
 * Edits are sent one after another in order and shown at once (an update or delete is
 * applied locally before the answer), and every answer replaces the local view with the
 * project's. Nothing here knows about Vue: the Pinia store subscribes to changes.
 */
export function createLabelSession(api: LabelApi, hooks: LabelSessionOptions = {}) {
  const editor = hooks.editorId === undefined ? {} : { editorId: hooks.editorId }
  let state: LabelSessionState = {
    imageId: null,
    current: null,
    selection: [],
    selectedSuggestion: null,
    history: EMPTY_HISTORY,
    lastClassId: null,
    classArmed: false,
    selectionIsNewDrawing: false,
    selectionLostElsewhere: false,
    clipboard: [],
  }
  const listeners = new Set<(next: LabelSessionState) => void>()
  /** Edits run one at a time, in the order they were made. */
  let queue: Promise<unknown> = Promise.resolve()
  /** Bumped by every local change; a load answer older than the latest change is dropped. */
  let localVersion = 0
  let pendingEdits = 0
  /**
   * Changes of edits sent but not yet answered, oldest first. An answer shows the project's labels
   * after that edit; the later edits, already shown locally, are applied on top again, or a fast
   * labeler's next key would act on a box that has lost the previous keys' changes.
   */
  const unansweredChanges: Array<readonly LabelChange[]> = []
  /** Labels of the neighbouring images, read ahead so stepping to one shows its boxes at once. */
  const prefetched = new Map<number, ImageLabels>()
  const newChangeId = hooks.newChangeId ?? randomChangeId
  /**
   * Ids of this session's own edits, undos and redos whose `labels.changed` event has not come
   * yet. Their answers already hold the labels and history, so the event is not read again
   * (one round trip per key instead of three). The event may come before or after the answer.
   */
  const ownChangeIds = new Set<string>()

  function sendingChange(): string {
    const id = newChangeId()
    ownChangeIds.add(id)
    if (ownChangeIds.size > REMEMBERED_CHANGE_IDS) ownChangeIds.delete(ownChangeIds.values().next().value!)
    return id
  }

  function set(patch: Partial<LabelSessionState>): void {
    state = { ...state, ...patch }
    for (const listener of listeners) listener(state)
  }

  /**
   * Shows new labels, keeping selected ids that still exist (ids may change under the editor).
   * `fromElsewhere`: the labels changed by someone else's hand, so a selection they drop is noted.
   */
  function show(labels: ImageLabels, select?: number[], fromElsewhere = false): void {
    const existing = new Set(labels.labels.map((label) => label.id))
    const selection = (select ?? state.selection).filter((id) => existing.has(id))
    const suggestionStill = labels.suggestions.some((suggestion) => suggestion.id === state.selectedSuggestion)
    const lost = fromElsewhere && select === undefined && selection.length < state.selection.length
    set({
      current: labels,
      selection,
      selectedSuggestion: suggestionStill ? state.selectedSuggestion : null,
      selectionLostElsewhere: state.selectionLostElsewhere || lost,
    })
  }

  async function load(imageId: number, fromElsewhere = false): Promise<void> {
    if (state.imageId !== imageId) {
      // Read-ahead labels are shown at once and replaced by the fresh answer below.
      set({
        imageId,
        current: prefetched.get(imageId) ?? null,
        selection: [],
        selectedSuggestion: null,
        selectionIsNewDrawing: false,
        selectionLostElsewhere: false,
      })
    }
    const version = localVersion
    try {
      const [labels, history] = await Promise.all([
        api.call('labels.forImage', { imageId }),
        api.call('labels.history', editor),
      ])
      if (state.imageId !== imageId || version !== localVersion || pendingEdits > 0) return
      set({ history })
      show(labels, undefined, fromElsewhere)
    } catch (error) {
      if (state.imageId === imageId) hooks.onError?.(error, 'failures.readLabels')
    }
  }

  /**
   * These images' labels changed: reread the shown one if it is among them. `changeId` names the
   * step; the echo of this session's own step is skipped, its answer holds everything.
   */
  function changed(imageIds: readonly number[], changeId?: string): Promise<void> {
    for (const imageId of imageIds) prefetched.delete(imageId)
    if (changeId !== undefined && ownChangeIds.delete(changeId)) return Promise.resolve()
    const shown = state.imageId
    if (shown === null) return Promise.resolve()
    if (!imageIds.includes(shown)) {
      return api.call('labels.history', editor).then(
        (history) => set({ history }),
        () => undefined,
      )
    }
    return queue.then(() => (state.imageId === shown ? load(shown, true) : undefined))
  }

  /**
   * Applies one gesture as one edit. Updates and deletes show at once; creates show when the
   * project has given them ids. Resolves to the outcome, or null when the edit failed.
   */
  function edit(command: EditCommand, changes: LabelChange[], options: { selectCreated?: boolean } = {}): Promise<EditOutcome | null> {
    const imageId = state.imageId
    if (imageId === null || changes.length === 0) return Promise.resolve(null)
    localVersion++
    pendingEdits++
    const sent = changes
    unansweredChanges.push(sent)
    // Any edit is the labeler working on what is selected; only a draw's answer marks it new again.
    if (state.current) set({ current: { ...state.current, labels: applyLocally(state.current.labels, changes) }, selectionIsNewDrawing: false })
    for (const change of changes) {
      if (change.op !== 'delete') state.lastClassId = change.classId
    }
    const run = queue.then(async () => {
      try {
        const outcome = await api.call('labels.edit', { ...editor, changeId: sendingChange(), imageId, command, changes })
        answered(sent)
        prefetched.delete(outcome.imageId)
        if (state.imageId === outcome.imageId) {
          set({ history: outcome.history })
          const select = options.selectCreated && outcome.createdLabelIds.length > 0 ? outcome.createdLabelIds : undefined
          const later = unansweredChanges.reduce<Label[]>((labels, pending) => applyLocally(labels, pending), outcome.labels.labels)
          show({ ...outcome.labels, labels: later }, select)
          if (select) set({ selectionIsNewDrawing: command === 'draw' })
        }
        return outcome
      } catch (error) {
        answered(sent)
        hooks.onError?.(error, 'failures.saveEdit')
        return null
      } finally {
        pendingEdits--
      }
    })
    queue = run.then(
      async (outcome) => {
        // A refused edit most often means someone else changed these labels (a deleted box).
        if (outcome === null && state.imageId === imageId) await load(imageId, true)
      },
      () => undefined,
    )
    return run
  }

  function answered(changes: readonly LabelChange[]): void {
    const index = unansweredChanges.indexOf(changes)
    if (index >= 0) unansweredChanges.splice(index, 1)
  }

  /**
   * Undo or redo of this window's steps. The outcome names the image it changed; showing it is the
   * caller's part. A refused step (another window changed its labels) is reported, and the history
   * read again: the refused step has left it.
   */
  function step(method: 'labels.undo' | 'labels.redo'): Promise<EditOutcome | null> {
    localVersion++
    set({ selectionIsNewDrawing: false })
    const run = queue.then(async () => {
      try {
        const outcome = await api.call(method, { ...editor, changeId: sendingChange() })
        if (outcome === null) {
          set({ history: await api.call('labels.history', editor) })
          return null
        }
        set({ history: outcome.history })
        prefetched.delete(outcome.imageId)
        if (state.imageId === outcome.imageId) show(outcome.labels)
        return outcome
      } catch (error) {
        hooks.onError?.(error, method === 'labels.undo' ? 'failures.undo' : 'failures.redo')
        await api.call('labels.history', editor).then(
          (history) => set({ history }),
          () => undefined,
        )
        return null
      }
    })
    queue = run.catch(() => undefined)
    return run
  }

  /** Reads these images' labels ahead (the neighbours of the shown one); keeps only those. */
  function prefetch(imageIds: readonly number[]): void {
    for (const cached of [...prefetched.keys()]) {
      if (!imageIds.includes(cached)) prefetched.delete(cached)
    }
    for (const imageId of imageIds) {
      if (prefetched.has(imageId) || imageId === state.imageId) continue
      const version = localVersion
      api.call('labels.forImage', { imageId }).then(
        (labels) => {
          if (version === localVersion && imageIds.includes(imageId)) prefetched.set(imageId, labels)
        },
        () => undefined, // a neighbour that cannot be read is read again when it is opened
      )
    }
  }

  function selectedLabels(): Label[] {
    const ids = new Set(state.selection)
    return state.current?.labels.filter((label) => ids.has(label.id)) ?? []
  }

  return {
    get state(): LabelSessionState {
      return state
    },
    subscribe(listener: (next: LabelSessionState) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    load,
    prefetch,
    changed,
    edit,
    undo: () => step('labels.undo'),
    redo: () => step('labels.redo'),
    /** Waits for every edit sent so far. */
    settled: (): Promise<void> => queue.then(() => undefined),
    select(ids: readonly number[]): void {
      set({ selection: [...new Set(ids)], selectedSuggestion: null, selectionIsNewDrawing: false, selectionLostElsewhere: false })
    },
    selectSuggestion(detectionId: number | null): void {
      set({ selectedSuggestion: detectionId, selection: [], selectionIsNewDrawing: false, selectionLostElsewhere: false })
    },
    selectedLabels,
    /** The labeler chose this class (a digit, the class picker): new boxes take it. */
    setLastClass(classId: number): void {
      set({ lastClassId: classId, classArmed: true })
    },
    copy(): number {
      const boxes = selectedLabels().map((label) => ({ classId: label.classId, box: [...label.box] as Label['box'] }))
      if (boxes.length > 0) set({ clipboard: boxes })
      return boxes.length
    },
  }
}

export type LabelSession = ReturnType<typeof createLabelSession>
