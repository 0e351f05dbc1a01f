import type { PrecisionCurvePoint } from '@shared/api/evaluation-types'
import { describe, expect, it } from 'vitest'
import {
  closestCurvePoint,
  countTicks,
  curvePolyline,
  histogramBars,
  plotArea,
  reachedPoints,
  xOf,
  yOf,
} from '../../../src-renderer/src/evaluation/chart-geometry'
import { formatDecimal, formatDelta, formatMetric, formatPercent, formatSeconds } from '../../../src-renderer/src/evaluation/figures'
import { cellShade, rowTotals } from '../../../src-renderer/src/evaluation/heat-colour'
import { wordsOf } from './i18n/words-of'

const en = wordsOf('en')

/** A pycocotools-shaped curve: 101 recall points, precision 0 past the highest recall reached. */
function curve(reachedUpTo: number, precision: (recall: number) => number): PrecisionCurvePoint[] {
  return Array.from({ length: 101 }, (_, index) => {
    const recall = index / 100
    return recall <= reachedUpTo + 1e-9 ? { recall, precision: precision(recall), score: 1 - recall } : { recall, precision: 0, score: 0 }
  })
}

const area = plotArea(500, 300, { left: 50, top: 10, right: 50, bottom: 40 })

describe('chart geometry', () => {
  it('maps [0, 1] onto the plot area, 0 at the bottom left', () => {
    expect(xOf(area, 0)).toBe(50)
    expect(xOf(area, 1)).toBe(450)
    expect(yOf(area, 0)).toBe(260)
    expect(yOf(area, 1)).toBe(10)
    expect(yOf(area, 5, 10)).toBe(135)
  })

  it('ends a curve where its recall stops, and draws nothing for a class that found nothing', () => {
    const points = reachedPoints(curve(0.6, () => 0.9))
    expect(points).toHaveLength(61)
    expect(points.at(-1)?.recall).toBeCloseTo(0.6)
    expect(reachedPoints(curve(-1, () => 1))).toEqual([])
    expect(curvePolyline(area, curve(-1, () => 1))).toBe('')
    const line = curvePolyline(area, curve(0.02, () => 1)).split(' ')
    expect(line).toEqual(['50.0,10.0', '54.0,10.0', '58.0,10.0'])
  })

  it('finds the curve point nearest the pointer across curves', () => {
    const high = curve(1, () => 0.9)
    const low = curve(0.5, () => 0.3)
    const nearLow = closestCurvePoint(area, [high, low], { x: xOf(area, 0.25), y: yOf(area, 0.32) })
    expect(nearLow?.curve).toBe(1)
    expect(nearLow?.point.recall).toBeCloseTo(0.25)
    const nearHigh = closestCurvePoint(area, [high, low], { x: xOf(area, 0.8), y: yOf(area, 0.7) })
    expect(nearHigh?.curve).toBe(0)
    expect(nearHigh?.point.recall).toBeCloseTo(0.8)
    expect(closestCurvePoint(area, [curve(-1, () => 1)], { x: 100, y: 100 })).toBeNull()
  })

  it('stacks false positives on true positives, scaled to the tallest bar', () => {
    const { bars, max } = histogramBars(area, { truePositives: [0, 2, 6, 0], falsePositives: [4, 2, 0, 0] })
    expect(max).toBe(6)
    expect(bars.map((bar) => [bar.minScore, bar.maxScore])).toEqual([[0, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1]])
    const [first, second, third, fourth] = bars
    expect(first!.truePositive.height).toBe(0)
    expect(first!.falsePositive.height).toBeCloseTo((4 / 6) * 250)
    expect(second!.truePositive.height).toBeCloseTo((2 / 6) * 250)
    expect(second!.falsePositive.y + second!.falsePositive.height).toBeCloseTo(second!.truePositive.y)
    expect(third!.truePositive.y).toBeCloseTo(10)
    expect(fourth!.truePositive.count + fourth!.falsePositive.count).toBe(0)
    // An empty histogram still has a scale.
    expect(histogramBars(area, { truePositives: [0, 0], falsePositives: [0, 0] }).max).toBe(1)
  })

  it('picks round count ticks', () => {
    expect(countTicks(6)).toEqual([0, 2, 4, 6])
    expect(countTicks(95)).toEqual([0, 50])
    expect(countTicks(1000)).toEqual([0, 500, 1000])
    expect(countTicks(0)).toEqual([0])
  })
})

describe('heat map shades', () => {
  it('shades a cell by its share of the row, green on the diagonal and red off it', () => {
    const counts = [
      [8, 2, 0],
      [0, 0, 0],
    ]
    const totals = rowTotals(counts)
    expect(totals).toEqual([10, 0])
    expect(cellShade(8, 10, true).background).toBe('rgba(46, 160, 67, 0.750)')
    expect(cellShade(2, 10, false).background).toBe('rgba(224, 82, 82, 0.300)')
    expect(cellShade(0, 10, false).background).toBe('transparent')
    expect(cellShade(8, 10, true).text).toBe('#ffffff')
    expect(cellShade(2, 10, false).text).toBe('var(--text)')
  })
})

describe('figures', () => {
  it("writes pycocotools' −1 and a missing AP as a dash", () => {
    expect(formatMetric(0.51234, en)).toBe('0.512')
    expect(formatMetric(-1, en)).toBe('—')
    expect(formatMetric(null, en)).toBe('—')
    expect(formatDelta(0.6, 0.5, en)).toBe('+0.100')
    expect(formatDelta(0.4, 0.5, en)).toBe('−0.100')
    expect(formatDelta(-1, 0.5, en)).toBe('—')
    expect(formatDelta(0.2891, 0.2894, en)).toBe('0.000')
  })

  it('writes decimals and shares in the language', () => {
    expect(formatDecimal(0.5, 2, en)).toBe('0.50')
    expect(formatDecimal(0.5, 2, { locale: 'fr' })).toBe('0,50')
    expect(formatPercent(0.25, en)).toBe('25%')
  })

  it('writes durations as a person reads them', () => {
    expect(formatSeconds(null, en)).toBe('—')
    expect(formatSeconds(42.4, en)).toBe('42 s')
    expect(formatSeconds(185, en)).toBe('3 min 5 s')
    expect(formatSeconds(4320, en)).toBe('1 h 12 min')
    expect(formatSeconds(185, wordsOf('zh-CN'))).toBe('3 分 5 秒')
  })
})

describe('histogram scale', () => {
  it('cuts off one bar that dwarfs the rest, and writes its count', () => {
    const area = plotArea(400, 200)
    const { bars, max } = histogramBars(area, { truePositives: [0, 0, 10, 20], falsePositives: [0, 1800, 30, 10] })
    expect(max).toBe(Math.ceil(40 * 1.15))
    expect(bars.map((bar) => bar.clipped)).toEqual([false, true, false, false])
    expect(bars[1]!.falsePositive.y).toBe(area.top)
    // Bars that fit keep their true heights.
    expect(bars[2]!.truePositive.height + bars[2]!.falsePositive.height).toBeCloseTo((40 / max) * (area.bottom - area.top))
  })

  it('keeps the tallest bar when nothing dwarfs the rest', () => {
    const { bars, max } = histogramBars(plotArea(400, 200), { truePositives: [5, 9], falsePositives: [4, 0] })
    expect(max).toBe(9)
    expect(bars.some((bar) => bar.clipped)).toBe(false)
  })
})

describe('histogram shares', () => {
  it('splits each non-empty score range into its true and false shares, keeping the counts', () => {
    const area = plotArea(400, 200)
    const { bars, max } = histogramBars(area, { truePositives: [0, 1, 30], falsePositives: [0, 3, 10] }, 'shares')
    expect(max).toBe(1)
    const full = area.bottom - area.top
    expect(bars[0]!.truePositive.height + bars[0]!.falsePositive.height).toBe(0)
    expect(bars[1]!.truePositive.height).toBeCloseTo(full / 4)
    expect(bars[1]!.falsePositive.height).toBeCloseTo((3 * full) / 4)
    expect(bars[2]!.truePositive.height).toBeCloseTo((3 * full) / 4)
    expect([bars[2]!.truePositive.count, bars[2]!.falsePositive.count]).toEqual([30, 10])
  })
})
