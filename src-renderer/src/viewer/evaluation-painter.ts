/**
 * The evaluation's marks on an image: false positives and missed labels, drawn above
 * everything in colours no class uses by default, with a tag saying what each is, so a person
 * following a confusion cell sees at once which boxes it counted.
 */
import type { ImageEvaluation } from '@shared/api/evaluation-types'
import type { Box } from '@shared/geometry/box'
import type { Canvas2D } from './box-painter'
import { placeTagBeside, type StageSize } from './label-placement'
import { strokeRectWithHalo, toStageXywh } from './overlay-painter'
import type { ViewTransform } from './view-transform'

export type HighlightKind = 'background' | 'wrongClass' | 'missed'

export interface EvaluationHighlight {
  kind: HighlightKind
  box: Readonly<Box>
  /** The tag: "false: star 0.62", "star, label says circle", "missed: hexagon". */
  text: string
}

export const HIGHLIGHT_COLOURS: Record<HighlightKind, string> = {
  background: '#ff3030',
  wrongClass: '#ff9a1f',
  missed: '#ff40ff',
}
const DASH: Record<HighlightKind, number[]> = { background: [10, 5], wrongClass: [10, 5], missed: [] }
const TAG_FONT = '600 12px system-ui, sans-serif'
const TAG_HEIGHT = 17

/** What to draw for one judged image; true positives are left alone (they are the labels on screen). */
export function evaluationHighlights(
  judged: ImageEvaluation,
  nameOf: (classId: number) => string,
  /** The class of one of the image's labels, as the editor holds them. */
  labelClassOf: (labelId: number) => number | undefined,
): EvaluationHighlight[] {
  const highlights: EvaluationHighlight[] = []
  for (const detection of judged.detections) {
    if (detection.verdict === 'truePositive') continue
    const detected = `${nameOf(detection.classId)} ${detection.score.toFixed(2)}`
    if (detection.verdict === 'wrongClass') {
      const truth = detection.labelId === null ? undefined : labelClassOf(detection.labelId)
      highlights.push({ kind: 'wrongClass', box: detection.box, text: truth === undefined ? `wrong class: ${detected}` : `${detected}, label: ${nameOf(truth)}` })
    } else {
      highlights.push({ kind: 'background', box: detection.box, text: `false: ${detected}` })
    }
  }
  for (const label of judged.missed) highlights.push({ kind: 'missed', box: label.box, text: `missed: ${nameOf(label.classId)}` })
  return highlights
}

export function paintEvaluationHighlights(
  context: Canvas2D,
  highlights: readonly EvaluationHighlight[],
  transform: ViewTransform,
  lineWidth: number,
  stage: StageSize,
): void {
  if (highlights.length === 0) return
  context.save()
  context.font = TAG_FONT
  context.textBaseline = 'top'
  const width = lineWidth + 2
  for (const highlight of highlights) {
    const [x, y, w, h] = toStageXywh(highlight.box, transform)
    const colour = HIGHLIGHT_COLOURS[highlight.kind]
    // Drawn a few pixels outside the box, so the label's own outline inside stays visible.
    const pad = width + 1
    strokeRectWithHalo(context, [x - pad, y - pad, w + 2 * pad, h + 2 * pad], colour, width, DASH[highlight.kind])
    const tagWidth = context.measureText(highlight.text).width + 8
    const marked: Box = [x - pad, y - pad, x + w + pad, y + h + pad]
    const spot = placeTagBeside(marked, { width: tagWidth, height: TAG_HEIGHT }, stage, 2)
    context.fillStyle = colour
    context.fillRect(spot.x, spot.y, tagWidth, TAG_HEIGHT)
    context.fillStyle = '#000000'
    context.fillText(highlight.text, spot.x + 4, spot.y + 2)
  }
  context.restore()
}
