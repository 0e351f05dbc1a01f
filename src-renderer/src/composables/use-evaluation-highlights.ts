import { storeToRefs } from 'pinia'
import { computed, ref, watch, type Ref } from 'vue'
import { useClassesStore } from '../stores/classes'
import { useEvaluationFocusStore } from '../stores/evaluation'
import { useLabelEditorStore } from '../stores/label-editor'
import { nativeContext } from '../viewer/box-painter'
import { evaluationHighlights, paintEvaluationHighlights } from '../viewer/evaluation-painter'
import type { StageSize } from '../viewer/label-placement'
import type { ViewTransform } from '../viewer/view-transform'

interface LayerShape {
  getNode(): { getLayer(): { batchDraw(): void } | null }
}

/**
 * The canvas layer of the evaluation's marks: empty unless the image was opened from the
 * evaluation view and its judgement is for the image shown.
 */
export function useEvaluationHighlights(options: {
  imageId: Ref<number | undefined>
  transform: Ref<ViewTransform>
  lineWidth: Ref<number>
  /** The stage's size: tags stay wholly on it. */
  stageSize: Ref<StageSize>
  ready: Ref<unknown>
}) {
  const { judged, highlightsShown } = storeToRefs(useEvaluationFocusStore())
  const classes = useClassesStore()
  const { state } = storeToRefs(useLabelEditorStore())
  const shape = ref<LayerShape | null>(null)

  const highlights = computed(() => {
    const current = judged.value
    if (!current || !highlightsShown.value || current.imageId !== options.imageId.value) return []
    const labels = new Map((state.value.current?.labels ?? []).map((label) => [label.id, label.classId]))
    return evaluationHighlights(current, (classId) => classes.nameOf(classId), (labelId) => labels.get(labelId))
  })

  const config = {
    sceneFunc: (konvaContext: unknown) => {
      if (options.ready.value) paintEvaluationHighlights(nativeContext(konvaContext), highlights.value, options.transform.value, options.lineWidth.value, options.stageSize.value)
    },
    listening: false,
    perfectDrawEnabled: false,
  }

  watch([highlights, options.transform, options.lineWidth, options.stageSize, options.ready], () => shape.value?.getNode().getLayer()?.batchDraw())

  return { shape, config, highlights }
}
