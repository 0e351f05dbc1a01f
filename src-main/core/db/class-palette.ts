/**
 * Default class colours: saturated enough to stand out on photographs, far apart in hue
 * so neighbouring classes are told apart, and none close to pure white, black or grey
 * (the colours of selection handles and image backgrounds). Lower-case `#rrggbb`.
 */
export const classPalette: readonly string[] = [
  '#e6194b', // red
  '#3cb44b', // green
  '#4363d8', // blue
  '#f58231', // orange
  '#911eb4', // purple
  '#42d4f4', // cyan
  '#f032e6', // magenta
  '#bfef45', // lime
  '#ffe119', // yellow
  '#469990', // teal
  '#9a6324', // brown
  '#dcbeff', // lavender
  '#800000', // maroon
  '#aaffc3', // mint
  '#808000', // olive
  '#ffd8b1', // apricot
  '#000075', // navy
  '#fabed4', // pink
]

/** The first palette colour no existing class uses; past the palette, colours repeat in order. */
export function pickDefaultColor(usedColors: readonly string[], classCount: number): string {
  const used = new Set(usedColors)
  const unused = classPalette.find((color) => !used.has(color))
  return unused ?? classPalette[classCount % classPalette.length]!
}

const colorPattern = /^#[0-9a-f]{6}$/

/** `#RRGGBB` in any case becomes `#rrggbb`; anything else is undefined. */
export function normalizeColor(value: string): string | undefined {
  const lower = value.trim().toLowerCase()
  return colorPattern.test(lower) ? lower : undefined
}
