/**
 * The label editor's moves between images against a fake client and a small project in memory:
 * an undo or redo that lands on another image opens it (asking the server where it stands when
 * its page is not loaded, through the grid's filter) or says the filter hides it; Space marks the
 * image reviewed and opens the next one; N opens the next unreviewed image the server names or
 * says none is left; [ and ] open an evaluation list's images by id; failed calls become notices.
 */
import type { EvaluationImage } from '@shared/api/evaluation-types'
import type { Label } from '@shared/api/label-types'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { reactive } from 'vue'
import { updateChanges } from '../../../src-renderer/src/editor/label-changes'
import { defineEvaluationFocusStore } from '../../../src-renderer/src/stores/define-evaluation-focus-store'
import { defineLabelEditorStore } from '../../../src-renderer/src/stores/define-label-editor-store'
import { type Notice, useNoticesStore, wordNotice } from '../../../src-renderer/src/stores/notices'
import { label } from './editor/fake-label-api'
import { createFakeImageProject } from './fake-image-project'
import { wordsOf } from './i18n/words-of'

const words = wordsOf('en')
/** A notice as the person reads it in English. */
const english = (notice: Notice) => wordNotice(notice, words)

function setup(options: { imageCount: number; reviewed?: number[]; labels?: Record<number, Label[]> }) {
  const project = createFakeImageProject(options)
  project.open()
  const useEvaluationFocus = defineEvaluationFocusStore(project.client)
  const toggledPanels: string[] = []
  const useEditor = defineLabelEditorStore(project.client, {
    useImagePages: project.useImagePages,
    useViewer: project.useViewer,
    useEvaluationFocus,
    useClasses: () => reactive({ classes: [{ id: 1 }, { id: 2 }] }),
    useBoxVisibility: () => reactive({ hiddenClassIds: [], visibility: { suggestionThreshold: 0, classThresholds: {}, hiddenClassIds: [] } }),
    useSidePanels: () => ({ toggleBoth: () => void toggledPanels.push('both') }),
    useImageLabelCounts: () => ({ adopt: () => undefined }),
    editorId: () => 'editor-under-test',
  })
  const editor = useEditor()
  const viewer = project.useViewer()
  /** Opens the image at `index` and loads its labels, as the image view does. */
  async function show(index: number): Promise<void> {
    await viewer.open(index)
    await editor.load(viewer.image!.id)
  }
  /** The short message on the editor's bar, in English. */
  const shownMessage = () => editor.message && words.t(`imageView.messages.${editor.message.key}`, editor.message.values ?? {})
  return { ...project, editor, viewer, pages: project.useImagePages(), evaluationFocus: useEvaluationFocus(), show, shownMessage }
}

describe('label editor store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('opens the image an undo lands on, and the image a redo lands on', async () => {
    const { editor, viewer, labelApi, show } = setup({ imageCount: 5, labels: { 2: [label(7, 1, [10, 10, 30, 30])] } })
    await show(1)
    await editor.session.edit('move', updateChanges([{ id: 7, classId: 1, box: [20, 20, 40, 40] }]))
    await show(3)
    await editor.commandContext().undo()
    expect(viewer.image?.id).toBe(2)
    expect(labelApi.images.get(2)!.labels[0]!.box).toEqual([10, 10, 30, 30])
    await show(4)
    await editor.commandContext().redo()
    expect(viewer.image?.id).toBe(2)
    expect(viewer.opened).toEqual([1, 3, 1, 4, 1])
  })

  it("asks the server where an undone image stands when its page is not loaded, through the grid's filter", async () => {
    const { client, editor, viewer, pages, show } = setup({ imageCount: 250, labels: { 240: [label(7, 1, [10, 10, 30, 30])] } })
    await show(239)
    await editor.session.edit('delete', [{ op: 'delete', labelId: 7 }])
    await pages.setFilter({ statuses: ['new'] }) // every image, but only the first page loaded again
    await show(0)
    await editor.commandContext().undo()
    expect(client.callsOf('images.positionOf')).toEqual([{ imageId: 240, filter: { statuses: ['new'] } }])
    expect(viewer.index).toBe(239)
    expect(viewer.image?.id).toBe(240)
  })

  it('stays and says so when the filter hides the undone image, or when there is nothing to undo', async () => {
    const { editor, viewer, pages, show, shownMessage } = setup({ imageCount: 5, reviewed: [4], labels: { 2: [label(7, 1, [10, 10, 30, 30])] } })
    await show(1)
    await editor.session.edit('delete', [{ op: 'delete', labelId: 7 }])
    await pages.setFilter({ statuses: ['reviewed'] })
    await show(0)
    await editor.commandContext().undo()
    expect(viewer.image?.id).toBe(4)
    expect(shownMessage()).toBe('That step changed an image the current filter hides (image id 2).')
    await editor.commandContext().undo()
    expect(shownMessage()).toBe('Nothing to undo.')
  })

  it('Space marks the image reviewed, refreshes the grid and opens the next image', async () => {
    const { client, editor, viewer, pages, show } = setup({ imageCount: 3 })
    await show(0)
    expect(editor.reviewed).toBe(false)
    const generation = pages.generation
    await editor.commandContext().markReviewedAndNext()
    expect(client.callsOf('images.setReviewed')).toEqual([{ imageId: 1, reviewed: true }])
    expect(pages.generation).toBeGreaterThan(generation)
    expect(viewer.image?.id).toBe(2)
    await show(0)
    expect(editor.reviewed).toBe(true)
  })

  it('N opens the next unreviewed image the server names, and says when every later one is reviewed', async () => {
    const { client, editor, viewer, pages, show, shownMessage } = setup({ imageCount: 6, reviewed: [2, 3, 6] })
    await pages.setFilter({ statuses: ['new', 'reviewed'] })
    await show(0)
    await editor.commandContext().nextUnreviewed()
    expect(viewer.image?.id).toBe(4)
    expect(client.callsOf('images.nextUnreviewed')).toEqual([{ afterIndex: 0, filter: { statuses: ['new', 'reviewed'] } }])
    await show(4)
    await editor.commandContext().nextUnreviewed()
    expect(viewer.image?.id).toBe(5)
    expect(shownMessage()).toBe('Every image after this one is reviewed.')
  })

  it('[ and ] open the images of an evaluation list by id, clearing a filter that hides them', async () => {
    const { editor, viewer, pages, evaluationFocus, show, shownMessage } = setup({ imageCount: 6, reviewed: [1] })
    await editor.commandContext().stepEvaluationList(1)
    expect(shownMessage()).toBe('Open an image from a list of the evaluation view to step through the list with [ and ].')
    const listed = [{ imageId: 5 }, { imageId: 3 }] as EvaluationImage[]
    evaluationFocus.start(9, () => 'false positives', listed, 0)
    await pages.setFilter({ statuses: ['reviewed'] })
    await show(0)
    await editor.commandContext().stepEvaluationList(1)
    expect(viewer.image?.id).toBe(3)
    expect(pages.filterActive).toBe(false)
    await editor.commandContext().stepEvaluationList(1)
    expect(shownMessage()).toBe('This is the last image of the list.')
  })

  it('turns a failed review mark or search into a notice and stays on the image', async () => {
    const { client, editor, viewer, show } = setup({ imageCount: 3 })
    await show(0)
    const refuse = () => {
      throw new Error('No project is open.')
    }
    client.handlers['images.setReviewed'] = refuse
    client.handlers['images.nextUnreviewed'] = refuse
    await editor.commandContext().markReviewedAndNext()
    await editor.commandContext().nextUnreviewed()
    expect(viewer.opened).toEqual([0])
    expect(useNoticesStore().notices.map(english)).toEqual([
      'Could not mark the image reviewed: No project is open.',
      'Could not find the next unreviewed image: No project is open.',
    ])
  })

  it('turns a failed look-up of the undone image into a notice and stays on the image', async () => {
    const { client, editor, viewer, pages, show } = setup({ imageCount: 250, labels: { 240: [label(7, 1, [10, 10, 30, 30])] } })
    await show(239)
    await editor.session.edit('delete', [{ op: 'delete', labelId: 7 }])
    await pages.setFilter({ statuses: ['new'] })
    await show(0)
    client.handlers['images.positionOf'] = () => {
      throw new Error('No project is open.')
    }
    await editor.commandContext().undo()
    expect(viewer.image?.id).toBe(1)
    expect(useNoticesStore().notices.map(english)).toEqual(['Could not open the image: No project is open.'])
  })
})
