import { nextTick, onBeforeUnmount, shallowRef, watch, type Ref } from 'vue'
import type { ViewTransform } from '../viewer/view-transform'

/** A pan or wheel zoom is over when no event came for this long; then the layers are redrawn. */
const SETTLE_MS = 120
/** During a long gesture, redraw at least this often, so boxes scrolled into view appear. */
const MAX_STALE_MS = 350

/**
 * The transform the canvas layers are drawn with. While the person pans or wheel-zooms, the
 * drawn layers are moved and scaled as one picture by a CSS transform (the compositor does
 * that at frame rate whatever the number of boxes), and redrawn for real when the gesture
 * settles, or every MAX_STALE_MS during a long one. Any other change of the transform (fit,
 * keys, a new image) is drawn at once.
 */
export function useSettledTransform(
  transform: Ref<ViewTransform>,
  content: () => HTMLElement | null,
  drawNow: () => void,
) {
  const drawn = shallowRef<ViewTransform>(transform.value)
  let gestureUntil = 0
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
    // Drawn synchronously, then the CSS transform dropped in the same task: no frame shows both.
    drawNow()
    setCss('')
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
    timer = setTimeout(() => void settle(), SETTLE_MS)
  })

  onBeforeUnmount(() => clearTimeout(timer))

  return {
    /** The transform the layers are drawn with. */
    drawn,
    /** Call before a pan or wheel step: the transform change it causes may be shown by CSS. */
    gesture(): void {
      gestureUntil = performance.now() + SETTLE_MS
    },
  }
}
