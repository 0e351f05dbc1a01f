import { nextTick, onBeforeUnmount, shallowRef, watch, type Ref } from 'vue'
import type { ViewTransform } from '../viewer/view-transform'

/**
 * A pan or wheel zoom is over when no event came for this long (longer when events come
 * slowly, on a busy machine); then the layers are redrawn.
 */
const SETTLE_MS = 120
const SETTLE_MAX_MS = 400
/** During a long gesture, redraw at least this often, so boxes scrolled into view appear. */
const MAX_STALE_MS = 350

/**
 * The transform the canvas layers are drawn with. While the person pans or wheel-zooms, the
 * drawn layers are moved and scaled as one picture by a CSS transform (the compositor does
 * that at frame rate whatever the number of boxes), and redrawn for real when the gesture
 * settles, or every MAX_STALE_MS during a long one. Any other change of the transform (fit,
 * keys, a new image) is drawn at once.
 */
export function useSettledTransform(transform: Ref<ViewTransform>, content: () => HTMLElement | null) {
  const drawn = shallowRef<ViewTransform>(transform.value)
  let gestureUntil = 0
  let lastGesture = 0
  let settleMs = SETTLE_MS
  let lastDraw = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined

  function setCss(value: string): void {
    const element = content()
    if (!element) return
    element.style.transformOrigin = '0 0'
    element.style.transform = value
  }

  async function settle(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    drawn.value = transform.value
    lastDraw = performance.now()
    await nextTick()
    // The layers asked for a redraw in the next animation frame while Vue flushed; dropping the
    // CSS transform in a callback queued after theirs puts both in the same frame, and each
    // layer is painted once.
    requestAnimationFrame(() => {
      if (drawn.value === transform.value) setCss('')
    })
  }

  watch(transform, (current) => {
    const now = performance.now()
    if (now > gestureUntil || now - lastDraw > MAX_STALE_MS) {
      void settle()
      return
    }
    const from = drawn.value
    const ratio = current.scale / from.scale
    const translateX = current.offsetX - from.offsetX * ratio
    const translateY = current.offsetY - from.offsetY * ratio
    setCss(`matrix(${ratio}, 0, 0, ${ratio}, ${translateX}, ${translateY})`)
    clearTimeout(timer)
    timer = setTimeout(() => void settle(), settleMs)
  })

  onBeforeUnmount(() => clearTimeout(timer))

  return {
    /** The transform the layers are drawn with. */
    drawn,
    /** Call before a pan or wheel step: the transform change it causes may be shown by CSS. */
    gesture(): void {
      const now = performance.now()
      const interval = now - lastGesture
      lastGesture = now
      settleMs = interval < SETTLE_MAX_MS ? Math.min(SETTLE_MAX_MS, Math.max(SETTLE_MS, 2 * interval)) : SETTLE_MS
      gestureUntil = now + settleMs
    },
  }
}
