import type { EvaluationImage, ImageEvaluation, JudgedDetection, MissedLabel } from '@shared/api/evaluation-types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { useNavigationStore } from './navigation'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'

/** The list of images an evaluation pick led to, being stepped through in the editor. */
export interface EvaluationFocus {
  runId: number
  /** What was picked ("star labelled, detected as hexagon"), worded in the window's language when called. */
  title: () => string
  images: readonly EvaluationImage[]
  position: number
}

/**
 * The editor's side of the evaluation: while a person steps through the images behind a
 * confusion cell or a curve point, the shown image's detections are judged against its labels
 * (false positives and missed labels highlighted on the canvas). The judgement is read again
 * when the image's labels change, so fixing a miss removes its highlight.
 *
 * The focus lasts while the person works from the evaluation: going to the grid (G or "← Grid"
 * from an image opened there, and so before any export, which starts from the grid) ends it. An
 * image outside the list is neither judged nor marked, and the editor's bar hides (`inList`);
 * coming back to a listed image ([ or ]) shows both again.
 */
export function defineEvaluationFocusStore(client: StoreClient) {
  return defineStore('evaluation-focus', () => {
    const notices = useNoticesStore()
    const navigation = useNavigationStore()
    const focus = shallowRef<EvaluationFocus | null>(null)
    const judged = shallowRef<ImageEvaluation | null>(null)
    const highlightsShown = ref(true)
    let judgeVersion = 0
    let stopListening: (() => void) | null = null

    const falsePositives = computed<JudgedDetection[]>(() => judged.value?.detections.filter((entry) => entry.verdict !== 'truePositive') ?? [])
    const missed = computed<MissedLabel[]>(() => judged.value?.missed ?? [])
    const current = computed(() => (focus.value ? (focus.value.images[focus.value.position] ?? null) : null))
    /** The image the editor shows; null until it shows one while the list is followed. */
    const shownImageId = ref<number | null>(null)
    /** The editor shows an image of the list: only then are the bar and the marks shown. */
    const inList = computed(() => current.value !== null && current.value.imageId === shownImageId.value)

    watch(
      () => navigation.view,
      (view) => {
        if (view === 'project' || view === 'start') stop()
      },
    )

    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        const shown = judged.value?.imageId
        if (shown === undefined) return
        if ((event.type === 'labels.changed' && event.imageIds.includes(shown)) || event.type === 'images.changed' || event.type === 'classes.changed' || event.type === 'labelThresholds.changed') {
          void judge(shown)
        } else if (event.type === 'project.changed') {
          stop()
        }
      })
    }

    function start(runId: number, title: () => string, images: readonly EvaluationImage[], position: number): void {
      listen()
      focus.value = { runId, title, images, position }
      shownImageId.value = null
      highlightsShown.value = true
    }

    /** The image `delta` steps along the list from the current one; null past either end. */
    function step(delta: number): EvaluationImage | null {
      const active = focus.value
      if (!active) return null
      const position = active.position + delta
      if (position < 0 || position >= active.images.length) return null
      focus.value = { ...active, position }
      return active.images[position]!
    }

    /**
     * The editor shows another image: judge it when it is in the list. An image outside the list
     * drops the judgement (its marks would belong to no list) but keeps the focus, so [ and ]
     * lead back into the list.
     */
    async function showing(imageId: number): Promise<void> {
      const active = focus.value
      if (!active) return
      shownImageId.value = imageId
      const position = active.images.findIndex((image) => image.imageId === imageId)
      if (position < 0) {
        judgeVersion++
        judged.value = null
        return
      }
      if (position !== active.position) focus.value = { ...active, position }
      await judge(imageId)
    }

    async function judge(imageId: number): Promise<void> {
      const active = focus.value
      if (!active) return
      const version = ++judgeVersion
      try {
        const result = await client.call('evaluation.forImage', { runId: active.runId, imageId })
        if (version === judgeVersion) judged.value = result
      } catch (error) {
        if (version !== judgeVersion) return
        judged.value = null
        notices.report(error, 'failures.judgeImage')
      }
    }

    function stop(): void {
      judgeVersion++
      focus.value = null
      judged.value = null
      shownImageId.value = null
    }

    return { focus, judged, current, inList, highlightsShown, falsePositives, missed, start, step, showing, judge, stop }
  })
}
