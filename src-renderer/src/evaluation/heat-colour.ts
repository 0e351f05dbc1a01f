/**
 * Colours of the confusion heat map. A cell's shade is its share of its row (what became of
 * the labels of one class, or of the background detections), so a rare class's row is as
 * readable as a common one's; correct cells (the diagonal) are shaded green, mistakes red.
 */

export interface CellShade {
  background: string
  /** Readable text over that background. */
  text: string
}

const EMPTY: CellShade = { background: 'transparent', text: 'var(--text-muted)' }

export function cellShade(count: number, rowTotal: number, correct: boolean): CellShade {
  if (count === 0 || rowTotal === 0) return EMPTY
  const share = count / rowTotal
  // Never fully transparent for a non-zero cell: one box is still worth seeing.
  const alpha = 0.15 + 0.75 * share
  const rgb = correct ? '46, 160, 67' : '224, 82, 82'
  return { background: `rgba(${rgb}, ${alpha.toFixed(3)})`, text: alpha > 0.55 ? '#ffffff' : 'var(--text)' }
}

export function rowTotals(counts: readonly (readonly number[])[]): number[] {
  return counts.map((row) => row.reduce((sum, count) => sum + count, 0))
}
