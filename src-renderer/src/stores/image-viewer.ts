import type { GridImage } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import {
  fitTransform,
  panBy,
  scaleAfterWheel,
  zoomAround,
  type Point,
  type Size,
  type ViewTransform,
} from '../viewer/view-transform'
import { useImagePagesStore } from './image-pages'
import { useNavigationStore } from './navigation'
import { useNoticesStore } from './notices'

/** Zoom step of the toolbar buttons and the +/- keys. */
const BUTTON_ZOOM_FACTOR = 1.25
/** Free space around a fitted image, so its edges are not hidden against the window frame. */
const FIT_MARGIN = 12

/**
 * State of the image view as plain data: which image, how large the stage is, and the
 * transform from image to stage pixels. The Konva nodes are drawn from this; nothing
 * here refers to a node.
 */
export const useImageViewerStore = defineStore('image-viewer', () => {
  const notices = useNoticesStore()
  const navigation = useNavigationStore()
  const imagePages = useImagePagesStore()

  const index = ref(0)
  const image = shallowRef<GridImage | null>(null)
  const stageSize = shallowRef<Size>({ width: 0, height: 0 })
  /** Size of the decoded image as drawn, known once it has loaded. */
  const imageSize = shallowRef<Size | null>(null)
  const transform = shallowRef<ViewTransform>({ scale: 1, offsetX: 0, offsetY: 0 })
  /** While true the view refits whenever the stage is resized. */
  const fitted = ref(true)
  const loadState = ref<'loading' | 'loaded' | 'failed'>('loading')

  const imageUrl = computed(() => (image.value ? imagePages.imageUrl(image.value) : null))
  const zoomPercent = computed(() => Math.round(transform.value.scale * 100))
  const hasPrevious = computed(() => index.value > 0)
  const hasNext = computed(() => index.value < imagePages.total - 1)
  /** The images on either side, fetched ahead so stepping through a folder does not wait. */
  const neighbourUrls = computed(() =>
    [index.value + 1, index.value - 1]
      .map((neighbour) => imagePages.imageAt(neighbour))
      .filter((summary) => summary !== undefined)
      .map((summary) => imagePages.imageUrl(summary)),
  )

  async function open(imageIndex: number): Promise<void> {
    index.value = imageIndex
    imageSize.value = null
    fitted.value = true
    loadState.value = 'loading'
    navigation.showImage(imageIndex)
    const summary = imagePages.imageAt(imageIndex) ?? (await imagePages.load(imageIndex))
    if (index.value !== imageIndex) return // the user moved on while the page loaded
    if (!summary) {
      loadState.value = 'failed'
      notices.say('failures.imageNotLoaded', { n: imageIndex + 1 })
      return
    }
    image.value = summary
  }

  function next(): Promise<void> | undefined {
    return hasNext.value ? open(index.value + 1) : undefined
  }

  function previous(): Promise<void> | undefined {
    return hasPrevious.value ? open(index.value - 1) : undefined
  }

  /** Index of an image in the current list, among the pages loaded so far; null when not there. */
  function indexOfLoaded(imageId: number): number | null {
    if (image.value?.id === imageId) return index.value
    for (let candidate = 0; candidate < imagePages.total; candidate++) {
      if (imagePages.imageAt(candidate)?.id === imageId) return candidate
    }
    return null
  }

  /** The shown image's summary changed (e.g. its review status). */
  function replaceImage(updated: GridImage): void {
    if (image.value?.id === updated.id) image.value = updated
  }

  /** Back to the grid, or to the evaluation when that is where the image was opened from. */
  function backToGrid(): void {
    navigation.leaveImage()
  }

  function imageLoaded(size: Size): void {
    loadState.value = 'loaded'
    imageSize.value = size
    fit()
  }

  function imageFailed(): void {
    loadState.value = 'failed'
    const name = image.value?.relativePath ?? `image ${index.value + 1}`
    notices.say('failures.imageNotDisplayed', { name })
  }

  function setStageSize(size: Size): void {
    stageSize.value = size
    if (fitted.value) fit()
  }

  function fit(): void {
    fitted.value = true
    if (imageSize.value) transform.value = fitTransform(imageSize.value, stageSize.value, FIT_MARGIN)
  }

  /** Image pixels 1:1 with screen pixels, centred on whatever is in the middle of the stage now. */
  function actualSize(): void {
    fitted.value = false
    if (!imageSize.value) return
    transform.value = zoomAround(transform.value, stageCentre(), 1)
  }

  function stageCentre(): Point {
    return { x: stageSize.value.width / 2, y: stageSize.value.height / 2 }
  }

  function zoomAtPoint(anchor: Point, wheelDeltaY: number): void {
    fitted.value = false
    transform.value = zoomAround(transform.value, anchor, scaleAfterWheel(transform.value.scale, wheelDeltaY))
  }

  function zoomIn(): void {
    fitted.value = false
    transform.value = zoomAround(transform.value, stageCentre(), transform.value.scale * BUTTON_ZOOM_FACTOR)
  }

  function zoomOut(): void {
    fitted.value = false
    transform.value = zoomAround(transform.value, stageCentre(), transform.value.scale / BUTTON_ZOOM_FACTOR)
  }

  function pan(dx: number, dy: number): void {
    fitted.value = false
    transform.value = panBy(transform.value, dx, dy)
  }

  return {
    index,
    image,
    imageUrl,
    imageSize,
    stageSize,
    transform,
    fitted,
    loadState,
    neighbourUrls,
    zoomPercent,
    hasPrevious,
    hasNext,
    open,
    next,
    previous,
    indexOfLoaded,
    replaceImage,
    backToGrid,
    imageLoaded,
    imageFailed,
    setStageSize,
    fit,
    actualSize,
    zoomAtPoint,
    zoomIn,
    zoomOut,
    pan,
  }
})
