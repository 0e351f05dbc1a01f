/**
 * Fixed colours of the charts. The SVGs carry them as attributes (not CSS variables) so an
 * exported file looks the same outside the app.
 */
export const CHART = {
  background: '#1b1d21',
  grid: '#2e3238',
  axis: '#5a606a',
  text: '#d9dce1',
  muted: '#8b919a',
  truePositive: '#2ea043',
  falsePositive: '#e05252',
  font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
} as const
