/**
 * A small project in memory behind a fake store client, for the stores that move between images:
 * its images in path order with their review status, the grid's pages through a status filter,
 * "where does this image stand", "next unreviewed", review marks, and the label methods of
 * fake-label-api.ts. Also the real image-pages store over it, and a stand-in for the image view
 * (the real one's module reaches for the window's API object).
 */
import type { Label } from '@shared/api/label-types'
import type { GridImage, ImageStatus } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { defineImagePagesStore, type GridFilter } from '../../../src-renderer/src/stores/define-image-pages-store'
import type { LabelEditorViewer } from '../../../src-renderer/src/stores/define-label-editor-store'
import type { Size } from '../../../src-renderer/src/viewer/view-transform'
import { createFakeLabelApi } from './editor/fake-label-api'
import { createFakeStoreClient } from './fake-store-client'

export interface FakeImage {
  id: number
  status: ImageStatus
}

export const IMAGE_SIZE: Size = { width: 100, height: 80 }

function gridImage({ id, status }: FakeImage): GridImage {
  return {
    id,
    relativePath: `img-${String(id).padStart(4, '0')}.png`,
    ...IMAGE_SIZE,
    fileSize: 1,
    mtimeMs: 5,
    status,
    errorMessage: null,
    missing: false,
    labelCount: 0,
    uncertainty: null,
  }
}

/**
 * `imageCount` images with ids 1, 2, …, all new except those named in `reviewed`; `labels` puts
 * labels on images by id.
 */
export function createFakeImageProject(options: { imageCount: number; reviewed?: number[]; labels?: Record<number, Label[]> }) {
  const images: FakeImage[] = Array.from({ length: options.imageCount }, (_, index) => ({
    id: index + 1,
    status: options.reviewed?.includes(index + 1) ? 'reviewed' : 'new',
  }))
  const labelInitial = Object.fromEntries(images.map((image) => [image.id, { labels: options.labels?.[image.id] ?? [] }]))
  const labelApi = createFakeLabelApi(labelInitial)
  const listed = (filter: GridFilter | undefined) =>
    images.filter((image) => !filter?.statuses?.length || filter.statuses.includes(image.status))
  const statusOf = (imageId: number) => images.find((image) => image.id === imageId)?.status ?? 'new'

  const client = createFakeStoreClient({
    'images.grid': ({ offset, limit, filter }) => {
      const shown = listed(filter)
      return { total: shown.length, offset, items: shown.slice(offset, offset + limit).map(gridImage) }
    },
    'images.positionOf': ({ imageId, filter }) => {
      const index = listed(filter).findIndex((image) => image.id === imageId)
      return index < 0 ? null : { index, imageId }
    },
    'images.nextUnreviewed': ({ afterIndex, filter }) => {
      const shown = listed(filter)
      const index = shown.findIndex((image, at) => at > afterIndex && image.status !== 'reviewed')
      return index < 0 ? null : { index, imageId: shown[index]!.id }
    },
    'images.setReviewed': ({ imageId, reviewed }) => {
      const image = images.find((candidate) => candidate.id === imageId)
      if (!image) throw new Error(`This project has no image with id ${imageId}.`)
      image.status = reviewed ? 'reviewed' : 'new'
      return gridImage(image)
    },
    'labels.forImage': async (args) => ({ ...(await labelApi.api.call('labels.forImage', args)), status: statusOf(args.imageId) }),
    'labels.history': (args) => labelApi.api.call('labels.history', args),
    'labels.edit': (args) => labelApi.api.call('labels.edit', args),
    'labels.undo': (args) => labelApi.api.call('labels.undo', args),
    'labels.redo': (args) => labelApi.api.call('labels.redo', args),
  })
  const pagesClient = Object.assign(client, {
    imageUrl: (image: { id: number }) => `/image/${image.id}`,
    thumbnailUrl: (image: { id: number }) => `/thumb/${image.id}`,
  })
  const useImagePages = defineImagePagesStore(pagesClient)
  const useViewer = defineViewerStandIn(useImagePages)

  /** Resets the grid to the whole project, as opening the project does. */
  function open(): void {
    useImagePages().reset(images.length)
  }

  return { client, images, labelApi, useImagePages, useViewer, open }
}

/**
 * The image view as the stores see it: which image is open and the moves between images, each
 * open read through the grid's pages as the real view does; `opened` records every open asked for.
 */
function defineViewerStandIn(useImagePages: ReturnType<typeof defineImagePagesStore>) {
  return defineStore('image-viewer', () => {
    const imagePages = useImagePages()
    const index = ref(0)
    const image = shallowRef<GridImage | null>(null)
    const imageSize = shallowRef<Size | null>(null)
    const opened = ref<number[]>([])
    const hasNext = computed(() => index.value < imagePages.total - 1)

    async function open(imageIndex: number): Promise<void> {
      opened.value = [...opened.value, imageIndex]
      index.value = imageIndex
      image.value = imagePages.imageAt(imageIndex) ?? (await imagePages.load(imageIndex)) ?? null
      imageSize.value = image.value ? IMAGE_SIZE : null
    }

    function indexOfLoaded(imageId: number): number | null {
      if (image.value?.id === imageId) return index.value
      for (let candidate = 0; candidate < imagePages.total; candidate++) {
        if (imagePages.imageAt(candidate)?.id === imageId) return candidate
      }
      return null
    }

    const viewer: Omit<LabelEditorViewer, 'index' | 'image' | 'imageSize' | 'hasNext'> = {
      open,
      next: () => (hasNext.value ? open(index.value + 1) : undefined),
      previous: () => (index.value > 0 ? open(index.value - 1) : undefined),
      indexOfLoaded,
      replaceImage: (updated) => {
        if (image.value?.id === updated.id) image.value = updated
      },
      backToGrid: () => undefined,
      pan: () => undefined,
      fit: () => undefined,
      actualSize: () => undefined,
      zoomIn: () => undefined,
      zoomOut: () => undefined,
    }
    return { index, image, imageSize, hasNext, opened, ...viewer }
  })
}
