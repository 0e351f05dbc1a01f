/**
 * Opening an image by id (from the evaluation's lists) against a fake client: it opens where the
 * grid's filter puts the image; a filter that hides it is cleared first; an image no longer in
 * the project, or a failed call, becomes a notice and opens nothing.
 */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineOpenImageById } from '../../../src-renderer/src/stores/define-open-image'
import { type Notice, useNoticesStore, wordNotice } from '../../../src-renderer/src/stores/notices'
import { createFakeImageProject } from './fake-image-project'
import { wordsOf } from './i18n/words-of'

/** A notice as the person reads it in English. */
const english = (notice: Notice) => wordNotice(notice, wordsOf('en'))

function setup() {
  const project = createFakeImageProject({ imageCount: 6, reviewed: [2, 4] })
  project.open()
  const openImageById = defineOpenImageById(project.client, project)
  return { ...project, openImageById, pages: project.useImagePages(), viewer: project.useViewer() }
}

describe('open image by id', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it("opens the image where the grid's filter puts it, sending the filter whole", async () => {
    const { client, openImageById, pages, viewer } = setup()
    await pages.setFilter({ statuses: ['reviewed'] })
    expect(await openImageById(4)).toBe(true)
    expect(viewer.opened).toEqual([1])
    expect(viewer.image?.id).toBe(4)
    expect(client.callsOf('images.positionOf')).toEqual([{ imageId: 4, filter: { statuses: ['reviewed'] } }])
    expect(pages.filter).toEqual({ statuses: ['reviewed'] })
  })

  it('clears a filter that hides the image, then opens it in the whole list', async () => {
    const { client, openImageById, pages, viewer } = setup()
    await pages.setFilter({ statuses: ['reviewed'] })
    expect(await openImageById(5)).toBe(true)
    expect(pages.filterActive).toBe(false)
    expect(viewer.image?.id).toBe(5)
    expect(viewer.opened).toEqual([4])
    expect(client.callsOf('images.positionOf')).toEqual([
      { imageId: 5, filter: { statuses: ['reviewed'] } },
      { imageId: 5, filter: {} },
    ])
    expect(useNoticesStore().notices).toEqual([])
  })

  it('keeps the grid’s order when it clears a filter that hides the image', async () => {
    const { client, openImageById, pages } = setup()
    await pages.setFilter({ order: 'uncertainty', statuses: ['reviewed'] })
    await openImageById(5)
    expect(pages.filter).toEqual({ order: 'uncertainty' })
    expect(client.callsOf('images.positionOf').at(-1)).toEqual({ imageId: 5, filter: { order: 'uncertainty' } })
  })

  it('says so when the image is no longer in the project, and opens nothing', async () => {
    const { openImageById, viewer } = setup()
    expect(await openImageById(99)).toBe(false)
    expect(viewer.opened).toEqual([])
    expect(useNoticesStore().notices.map(english)).toEqual(['Image 99 is no longer in the project.'])
  })

  it('turns a failed call into a notice', async () => {
    const { client, openImageById, viewer } = setup()
    client.handlers['images.positionOf'] = () => {
      throw new Error('No project is open.')
    }
    expect(await openImageById(3)).toBe(false)
    expect(viewer.opened).toEqual([])
    expect(useNoticesStore().notices.map(english)).toEqual(['Could not open the image: No project is open.'])
  })
})
