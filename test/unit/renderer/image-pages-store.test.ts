/**
 * The grid's image pages against a fake client: pages fetched once each, through the filter;
 * an answer from before a reset (another project or filter) dropped; after `invalidate` the
 * loaded pages stay on screen and are fetched again only when asked; image URLs carry the
 * project's uuid.
 */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { GridImage, GridPage } from '@shared/api/types'
import { defineImagePagesStore, IMAGE_PAGE_SIZE } from '../../../src-renderer/src/stores/define-image-pages-store'
import { type Notice, useNoticesStore, wordNotice } from '../../../src-renderer/src/stores/notices'
import { createFakeStoreClient } from './fake-store-client'
import { wordsOf } from './i18n/words-of'

/** A notice as the person reads it in English. */
const english = (notice: Notice) => wordNotice(notice, wordsOf('en'))

const TOTAL = IMAGE_PAGE_SIZE * 2 + 10

function image(id: number, labelCount = 0): GridImage {
  return { id, relativePath: `img-${id}.png`, width: 10, height: 10, fileSize: 1, mtimeMs: 5, status: 'new', errorMessage: null, missing: false, labelCount, uncertainty: null }
}

function setup() {
  let labelCount = 0
  const client = createFakeStoreClient({
    'images.grid': ({ offset, limit, filter }): GridPage => {
      const total = filter?.hasErrors ? 3 : TOTAL
      const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, index) => image(offset + index + 1, labelCount))
      return { total, offset, items }
    },
  })
  const withUrls = Object.assign(client, {
    imageUrl: (ref: { projectUuid: string; id: number }) => `/image/${ref.projectUuid}/${ref.id}`,
    thumbnailUrl: (ref: { projectUuid: string; id: number }) => `/thumb/${ref.projectUuid}/${ref.id}`,
  })
  const store = defineImagePagesStore(withUrls)()
  return { client, store, setLabelCount: (count: number) => (labelCount = count) }
}

describe('image pages store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('fetches each page once, even when asked twice at a time, and reads images across pages', async () => {
    const { client, store } = setup()
    store.reset(TOTAL)
    await Promise.all([store.ensureRange(0, IMAGE_PAGE_SIZE + 5), store.ensureRange(3, 4)])
    expect(client.callsOf('images.grid').map((args) => (args as { offset: number }).offset)).toEqual([0, IMAGE_PAGE_SIZE])
    expect(store.imageAt(IMAGE_PAGE_SIZE + 5)?.id).toBe(IMAGE_PAGE_SIZE + 6)
    expect(store.imageAt(TOTAL - 1)).toBeUndefined()
    expect((await store.load(TOTAL - 1))?.id).toBe(TOTAL)
    store.projectUuid = 'u-1'
    expect(store.imageUrl(store.imageAt(0)!)).toBe('/image/u-1/1')
    expect(store.thumbnailUrl(store.imageAt(0)!)).toBe('/thumb/u-1/1')
  })

  it('drops an answer from before a reset, and counts through the filter', async () => {
    const { client, store } = setup()
    store.reset(TOTAL)
    const early = store.ensureRange(0, 0)
    await store.setFilter({ hasErrors: true })
    await early
    expect(store.filterActive).toBe(true)
    expect(store.total).toBe(3)
    expect(store.counted).toBe(true)
    expect(client.callsOf('images.grid').at(-1)).toMatchObject({ filter: { hasErrors: true } })
    await store.setFilter({})
    expect(store.filterActive).toBe(false)
    expect(store.total).toBe(TOTAL)
  })

  it('keeps the order apart from the filter: a clear keeps it, and the order alone filters nothing', async () => {
    const { client, store } = setup()
    store.reset(TOTAL)
    await store.setOrder('uncertainty')
    expect(store.filterActive).toBe(false)
    expect(client.callsOf('images.grid').at(-1)).toMatchObject({ filter: { order: 'uncertainty' } })
    await store.setFilter({ ...store.filter, hasErrors: true })
    expect(store.filterActive).toBe(true)
    await store.clearFilter()
    expect(store.filter).toEqual({ order: 'uncertainty' })
    expect(store.total).toBe(TOTAL)
    await store.setFilter({ ...store.filter, hasErrors: true })
    await store.setOrder('path')
    expect(store.filter).toEqual({ hasErrors: true })
    expect(client.callsOf('images.grid').at(-1)).toEqual({ offset: 0, limit: IMAGE_PAGE_SIZE, filter: { hasErrors: true } })
  })

  it('keeps stale pages on screen after invalidate and fetches them again only when asked', async () => {
    const { client, store, setLabelCount } = setup()
    store.reset(TOTAL)
    await store.ensureRange(0, IMAGE_PAGE_SIZE + 1)
    const generation = store.generation
    setLabelCount(4)
    store.invalidate()
    expect(store.generation).toBe(generation + 1)
    expect(store.imageAt(IMAGE_PAGE_SIZE)?.labelCount).toBe(0) // still shown while stale
    await store.ensureRange(IMAGE_PAGE_SIZE, IMAGE_PAGE_SIZE)
    expect(store.imageAt(IMAGE_PAGE_SIZE)?.labelCount).toBe(4)
    expect(client.callsOf('images.grid')).toHaveLength(4) // two pages, then page 0 (invalidate) and page 1 again
  })

  it('says when the images cannot be listed', async () => {
    const { client, store } = setup()
    client.handlers['images.grid'] = () => {
      throw new Error('No project is open.')
    }
    store.reset(TOTAL)
    await store.ensureRange(0, 0)
    expect(useNoticesStore().notices.map(english)).toEqual(['Could not list the images: No project is open.'])
  })
})
