/**
 * Plot geometry of the evaluation charts as plain functions (no DOM), so the SVG templates only
 * bind numbers and the tests check the numbers.
 */
import type { PrecisionCurvePoint, ScoreHistogram } from '@shared/api/evaluation-types'

/** The drawing area inside an SVG of `width` × `height`, margins left for the axes. */
export interface PlotArea {
  width: number
  height: number
  left: number
  top: number
  right: number
  bottom: number
}

export function plotArea(width: number, height: number, margin = { left: 40, top: 12, right: 12, bottom: 34 }): PlotArea {
  return { width, height, left: margin.left, top: margin.top, right: width - margin.right, bottom: height - margin.bottom }
}

/** x of a value in [0, 1] along the horizontal axis. */
export function xOf(area: PlotArea, value: number): number {
  return area.left + value * (area.right - area.left)
}

/** y of a value in [0, max] along the vertical axis (0 at the bottom). */
export function yOf(area: PlotArea, value: number, max = 1): number {
  return area.bottom - (max === 0 ? 0 : value / max) * (area.bottom - area.top)
}

/** Ticks at 0, 0.25, …, 1 (or `count` equal steps). */
export function unitTicks(count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, step) => step / count)
}

/**
 * The points of a precision curve that a line needs: pycocotools' curve is 0 past the highest
 * recall reached, so it stops at the last point with precision above 0 (a class that found
 * nothing has no line).
 */
export function reachedPoints(curve: readonly PrecisionCurvePoint[]): PrecisionCurvePoint[] {
  let last = curve.length - 1
  while (last >= 0 && curve[last]!.precision <= 0) last--
  return curve.slice(0, last + 1)
}

/** An SVG polyline `points` attribute for a curve, precision against recall. */
export function curvePolyline(area: PlotArea, curve: readonly PrecisionCurvePoint[]): string {
  return reachedPoints(curve)
    .map((point) => `${xOf(area, point.recall).toFixed(1)},${yOf(area, point.precision).toFixed(1)}`)
    .join(' ')
}

export interface HistogramBar {
  bin: number
  minScore: number
  maxScore: number
  x: number
  width: number
  /** True positives stacked under false positives. */
  truePositive: { y: number; height: number; count: number }
  falsePositive: { y: number; height: number; count: number }
  /** Taller than the axis shows (see histogramScale); its count is written on it. */
  clipped: boolean
}

/**
 * The count at the top of the axis. Low scores usually hold far more detections than the rest
 * (every weak guess of the model); when one bar is more than three times the next tallest,
 * the axis is set by the next tallest and that bar is cut off, so the bars around the label
 * threshold stay readable.
 */
export function histogramScale(totals: readonly number[]): number {
  const sorted = [...totals].sort((a, b) => b - a)
  const [tallest = 0, next = 0] = sorted
  if (next > 0 && tallest > 3 * next) return Math.ceil(next * 1.15)
  return Math.max(1, tallest)
}

/**
 * Stacked bars for a score histogram, bins of equal width over [0, 1]. As `counts` the bars
 * are detections; as `shares` every non-empty bin is one full bar split into its true and
 * false share (the precision of that score range), with `max` 1.
 */
export function histogramBars(area: PlotArea, histogram: ScoreHistogram, mode: 'counts' | 'shares' = 'counts'): { bars: HistogramBar[]; max: number } {
  if (mode === 'shares') {
    const shares = {
      truePositives: histogram.truePositives.map((count, bin) => share(count, count + (histogram.falsePositives[bin] ?? 0))),
      falsePositives: histogram.falsePositives.map((count, bin) => share(count, count + (histogram.truePositives[bin] ?? 0))),
    }
    const { bars } = histogramBars(area, shares, 'counts')
    // Heights are shares; the counts shown and picked stay the detections'.
    return {
      bars: bars.map((bar) => ({
        ...bar,
        truePositive: { ...bar.truePositive, count: histogram.truePositives[bar.bin] ?? 0 },
        falsePositive: { ...bar.falsePositive, count: histogram.falsePositives[bar.bin] ?? 0 },
        clipped: false,
      })),
      max: 1,
    }
  }
  const bins = histogram.truePositives.length
  const totals = histogram.truePositives.map((count, bin) => count + (histogram.falsePositives[bin] ?? 0))
  const max = histogramScale(totals)
  const gap = 1
  const clamp = (y: number) => Math.max(area.top, y)
  const bars = histogram.truePositives.map((truePositives, bin) => {
    const falsePositives = histogram.falsePositives[bin] ?? 0
    const minScore = bin / bins
    const maxScore = (bin + 1) / bins
    const x = xOf(area, minScore) + gap / 2
    const width = Math.max(1, xOf(area, maxScore) - xOf(area, minScore) - gap)
    const trueTop = clamp(yOf(area, truePositives, max))
    const falseTop = clamp(yOf(area, truePositives + falsePositives, max))
    return {
      bin,
      minScore,
      maxScore,
      x,
      width,
      truePositive: { y: trueTop, height: area.bottom - trueTop, count: truePositives },
      falsePositive: { y: falseTop, height: trueTop - falseTop, count: falsePositives },
      clipped: truePositives + falsePositives > max,
    }
  })
  return { bars, max }
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole
}

/** A few round counts for a vertical count axis up to `max`. */
export function countTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0]
  const rough = max / count
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? rough
  const ticks: number[] = []
  for (let tick = 0; tick <= max + 1e-9; tick += step) ticks.push(Math.round(tick))
  return ticks
}

/** The reached point of any of the curves closest to the pointer on screen, with its curve's index. */
export function closestCurvePoint(
  area: PlotArea,
  curves: readonly (readonly PrecisionCurvePoint[])[],
  pointer: { x: number; y: number },
): { curve: number; point: PrecisionCurvePoint } | null {
  let best: { curve: number; point: PrecisionCurvePoint } | null = null
  let bestDistance = Infinity
  curves.forEach((curve, index) => {
    for (const point of reachedPoints(curve)) {
      const distance = Math.hypot(xOf(area, point.recall) - pointer.x, yOf(area, point.precision) - pointer.y)
      if (distance < bestDistance) {
        bestDistance = distance
        best = { curve: index, point }
      }
    }
  })
  return best
}
