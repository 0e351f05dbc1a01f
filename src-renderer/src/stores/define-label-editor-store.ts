import type { EditOutcome, ImageLabels } from '@shared/api/label-types'
import type { GridImage } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { CommandContext } from '../editor/command-types'
import type { EditorBox } from '../editor/editor-types'
import { createChanges, updateChanges } from '../editor/label-changes'
import { windowEditorId } from '../editor/editor-identity'
import { createLabelSession, type LabelSessionState } from '../editor/label-session'
import { MIN_BOX_SIZE } from '../editor/editor-types'
import { createPointerTool, type ToolEffect, type ToolName } from '../editor/pointer-tool'
import { visibleDetections, type BoxVisibility } from '../viewer/box-visibility'
import type { Size } from '../viewer/view-transform'
import type { EvaluationFocus } from './define-evaluation-focus-store'
import { defineOpenImageById, type OpenImagePages } from './define-open-image'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'
import type { Message } from '../i18n/message'

/** How long a short message (nothing to paste, nothing to undo) stays on screen. */
const MESSAGE_MS = 4000

/** What the editor asks of the grid's image pages: neighbours, the filter, a refresh after a review mark. */
export interface LabelEditorImagePages extends OpenImagePages {
  imageAt(index: number): GridImage | undefined
  load(index: number): Promise<GridImage | undefined>
  invalidate(): void
}

/** What the editor asks of the image view: which image is shown, its size, and the moves between images. */
export interface LabelEditorViewer {
  readonly index: number
  readonly image: GridImage | null
  readonly imageSize: Size | null
  readonly hasNext: boolean
  open(index: number): Promise<void>
  next(): Promise<void> | undefined
  previous(): Promise<void> | undefined
  indexOfLoaded(imageId: number): number | null
  replaceImage(updated: GridImage): void
  backToGrid(): void
  pan(dx: number, dy: number): void
  fit(): void
  actualSize(): void
  zoomIn(): void
  zoomOut(): void
}

/** The other stores the editor works with; label-editor.ts passes the app's own. */
export interface LabelEditorStores {
  useImagePages: () => LabelEditorImagePages
  useViewer: () => LabelEditorViewer
  useEvaluationFocus: () => { readonly focus: EvaluationFocus | null; step(delta: number): { imageId: number } | null }
  useClasses: () => { readonly classes: readonly { id: number }[] }
  useBoxVisibility: () => { readonly hiddenClassIds: readonly number[]; readonly visibility: BoxVisibility }
  useSidePanels: () => { toggleBoth(): void }
  useImageLabelCounts: () => { adopt(imageId: number, shown: ImageLabels): void }
  /** This window's editor identity (editor-identity.ts); tests give a fixed one. */
  editorId?: () => string
}

/**
 * The editor's state for Vue: a thin wrapper of the DOM-free label session, plus the
 * current tool, hover, display options and the actions that need other stores (navigation
 * after undo, review and next image).
 */
export function defineLabelEditorStore(client: StoreClient, stores: LabelEditorStores) {
  const openImageById = defineOpenImageById(client, stores)
  return defineStore('label-editor', () => {
    const notices = useNoticesStore()
    const viewer = stores.useViewer()
    const imagePages = stores.useImagePages()
    const evaluationFocus = stores.useEvaluationFocus()
    const classes = stores.useClasses()
    const boxVisibility = stores.useBoxVisibility()
    const sidePanels = stores.useSidePanels()
    const imageLabelCounts = stores.useImageLabelCounts()

    const editorId = (stores.editorId ?? windowEditorId)()
    const session = createLabelSession(client, { editorId, onError: (error, what) => notices.report(error, what) })
    const state = shallowRef<LabelSessionState>(session.state)
    session.subscribe((next) => {
      state.value = next
      // The class panel counts what the editor shows: no second read of the same labels.
      if (next.imageId !== null && next.current !== null && next.current.imageId === next.imageId) {
        imageLabelCounts.adopt(next.imageId, next.current)
      }
    })

    /** The pointer tools' state machine; plain data, redrawn through `previewVersion`. */
    const pointerTool = createPointerTool()
    /** Bumped whenever the gesture preview changes, so the overlay layer redraws. */
    const previewVersion = ref(0)
    const tool = ref<ToolName>('select')
    const hoveredId = ref<number | null>(null)
    const pickerOpen = ref(false)
    const shortcutsOpen = ref(false)
    const message = ref<Message | null>(null)
    const lineWidth = ref(2)
    const fillOpacity = ref(0)
    let messageTimer: ReturnType<typeof setTimeout> | undefined

    const labels = computed(() => state.value.current?.labels ?? [])
    /** Labels of the image past the most one answer carries: neither drawn nor editable here. */
    const labelsLeftOut = computed(() => state.value.current?.labelsLeftOut ?? 0)
    /** Labels of hidden classes are neither drawn nor hit. */
    const shownLabels = computed<EditorBox[]>(() => {
      const hidden = new Set(boxVisibility.hiddenClassIds)
      return labels.value.filter((label) => !hidden.has(label.classId))
    })
    const visibleSuggestions = computed(() => visibleDetections(state.value.current?.suggestions ?? [], boxVisibility.visibility))
    const selection = computed(() => new Set(state.value.selection))
    const reviewed = computed(() => (state.value.current?.status ?? viewer.image?.status) === 'reviewed')

    let stopListening: (() => void) | null = null
    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        if (event.type === 'labels.changed') void session.changed(event.imageIds, event.changeId)
        // A run writing results may have rebuilt the labels of untouched images, and it names none:
        // read the shown image and its neighbours again (a run sends this about twice a second).
        if (event.type === 'images.changed') void session.changed(shownAndNeighbourIds())
      })
    }

    function shownAndNeighbourIds(): number[] {
      const neighbours = [viewer.index + 1, viewer.index - 1].map((index) => imagePages.imageAt(index)?.id)
      return [state.value.imageId, ...neighbours].filter((id): id is number => id !== undefined && id !== null)
    }

    function load(imageId: number): Promise<void> {
      listen()
      hoveredId.value = null
      pickerOpen.value = false
      return session.load(imageId).then(() => {
        // The next and previous images' labels, so stepping there draws their boxes at once.
        const neighbours = [viewer.index + 1, viewer.index - 1]
          .map((index) => imagePages.imageAt(index)?.id)
          .filter((id): id is number => id !== undefined)
        if (session.state.imageId === imageId) session.prefetch(neighbours)
      })
    }

    function inform(key: string, values?: Record<string, string | number>): void {
      message.value = { key, values }
      clearTimeout(messageTimer)
      messageTimer = setTimeout(() => (message.value = null), MESSAGE_MS)
    }

    /** The class a new box takes: the last used one, else the project's first. */
    function classForNewBox(): number | null {
      return state.value.lastClassId ?? classes.classes[0]?.id ?? null
    }

    /** Applies what a pointer gesture asked for. */
    function applyToolEffect(effect: ToolEffect): void {
      switch (effect.type) {
        case 'select':
          session.select(effect.labelIds)
          return
        case 'select-suggestion':
          session.selectSuggestion(effect.detectionId)
          return
        case 'pan':
          viewer.pan(effect.dx, effect.dy)
          return
        case 'commit-move':
          void session.edit('move', updateChanges(effect.boxes))
          return
        case 'commit-resize':
          void session.edit('resize', updateChanges([effect.box]))
          return
        case 'commit-draw': {
          const classId = classForNewBox()
          if (classId === null) return inform('noClassesToDraw')
          tool.value = 'select'
          const frame = viewer.imageSize
          const changes = frame ? createChanges([{ classId, box: effect.box }], frame, MIN_BOX_SIZE) : []
          // A digit pressed before the answer comes must not relabel an earlier selection.
          session.select([])
          void session.edit('draw', changes, { selectCreated: true }).then((outcome) => {
            // Once the labeler has chosen a class (a digit, the picker), boxes take it without asking.
            if (outcome && !state.value.classArmed) pickerOpen.value = true
          })
          return
        }
      }
    }

    /** Shows the image an undo or redo changed, going there when it is another one. */
    async function showOutcome(outcome: EditOutcome | null, nothing: 'nothingToUndo' | 'nothingToRedo'): Promise<void> {
      if (!outcome) return inform(nothing)
      if (outcome.imageId === viewer.image?.id) return
      try {
        const position =
          viewer.indexOfLoaded(outcome.imageId) ??
          (await client.call('images.positionOf', { imageId: outcome.imageId, filter: imagePages.filter }))?.index ??
          null
        if (position === null) return inform('stepChangedHiddenImage', { imageId: outcome.imageId })
        await viewer.open(position)
      } catch (error) {
        notices.report(error, 'failures.openImage')
      }
    }

    async function setReviewed(value: boolean): Promise<boolean> {
      const imageId = viewer.image?.id
      if (imageId === undefined) return false
      try {
        const updated = await client.call('images.setReviewed', { imageId, reviewed: value })
        if (viewer.image?.id === imageId) viewer.replaceImage(updated)
        const current = state.value.current
        if (current && current.imageId === imageId) await session.load(imageId)
        imagePages.invalidate()
        return true
      } catch (error) {
        notices.report(error, value ? 'failures.markReviewed' : 'failures.unmarkReviewed')
        return false
      }
    }

    async function nextUnreviewed(): Promise<void> {
      try {
        const position = await client.call('images.nextUnreviewed', { afterIndex: viewer.index, filter: imagePages.filter })
        if (position) await viewer.open(position.index)
        else inform('allLaterImagesReviewed')
      } catch (error) {
        notices.report(error, 'failures.findNextUnreviewed')
      }
    }

    /** [ and ]: along the images an evaluation led to, wherever the grid order would go. */
    async function stepEvaluationList(delta: number): Promise<void> {
      if (!evaluationFocus.focus) return inform('noEvaluationList')
      const next = evaluationFocus.step(delta)
      if (next) await openImageById(next.imageId)
      else inform(delta > 0 ? 'lastOfList' : 'firstOfList')
    }

    async function copyPrevious(): Promise<void> {
      const previous = imagePages.imageAt(viewer.index - 1) ?? (viewer.index > 0 ? await imagePages.load(viewer.index - 1) : undefined)
      const frame = viewer.imageSize
      if (!previous || !frame) return inform('noPreviousImage')
      try {
        const from = await client.call('labels.forImage', { imageId: previous.id })
        const changes = createChanges(from.labels, frame, MIN_BOX_SIZE)
        if (changes.length === 0) return inform('previousImageHasNoLabels')
        await session.edit('copy-previous', changes, { selectCreated: true })
      } catch (error) {
        notices.report(error, 'failures.readPreviousLabels')
      }
    }

    /** Esc during a drag: the preview goes, nothing is committed. */
    function cancelGesture(): boolean {
      if (!pointerTool.busy) return false
      pointerTool.cancel()
      previewVersion.value++
      return true
    }

    /** What the commands may do, built fresh for each key so it reflects the moment. */
    function commandContext(): CommandContext {
      return {
        session,
        frame: viewer.imageSize,
        classIds: classes.classes.map((projectClass) => projectClass.id),
        visibleSuggestions: visibleSuggestions.value,
        tool: tool.value,
        setTool: (next) => (tool.value = next),
        cancelGesture,
        openClassPicker: () => (pickerOpen.value = true),
        toggleShortcuts: () => (shortcutsOpen.value = !shortcutsOpen.value),
        toggleSidePanels: () => sidePanels.toggleBoth(),
        fit: () => viewer.fit(),
        actualSize: () => viewer.actualSize(),
        zoomIn: () => viewer.zoomIn(),
        zoomOut: () => viewer.zoomOut(),
        next: () => viewer.next(),
        previous: () => viewer.previous(),
        backToGrid: () => viewer.backToGrid(),
        markReviewedAndNext: async () => {
          if ((await setReviewed(true)) && viewer.hasNext) await viewer.next()
        },
        toggleReviewed: () => setReviewed(!reviewed.value),
        nextUnreviewed,
        stepEvaluationList,
        undo: async () => showOutcome(await session.undo(), 'nothingToUndo'),
        redo: async () => showOutcome(await session.redo(), 'nothingToRedo'),
        copyPrevious,
        inform,
      }
    }

    function relabelSelection(classId: number): void {
      session.setLastClass(classId)
      const ids = new Set(state.value.selection)
      const changes = labels.value
        .filter((label) => ids.has(label.id) && label.classId !== classId)
        .map((label) => ({ op: 'update' as const, labelId: label.id, classId, box: label.box }))
      if (changes.length > 0) void session.edit('relabel', changes)
    }

    return {
      session,
      state,
      pointerTool,
      previewVersion,
      cancelGesture,
      tool,
      hoveredId,
      pickerOpen,
      shortcutsOpen,
      message,
      labelsLeftOut,
      lineWidth,
      fillOpacity,
      labels,
      shownLabels,
      visibleSuggestions,
      selection,
      reviewed,
      load,
      inform,
      applyToolEffect,
      commandContext,
      relabelSelection,
      setReviewed,
    }
  })
}
