/**
 * Progress of a batch on stderr: on a terminal a bar redrawn in place with images/s and ETA;
 * elsewhere (logs, CI, pipes) a plain line every few seconds. Messages printed through
 * `note` never collide with the bar.
 */

export interface ProgressReporter {
  update(done: number, failed: number): void
  /** Prints a line of its own (e.g. an image's error) above the bar. */
  note(line: string): void
  finish(): void
}

const PLAIN_INTERVAL_MS = 2000
const REDRAW_INTERVAL_MS = 100

export function createProgressReporter(stream: NodeJS.WriteStream, total: number, now: () => number = Date.now): ProgressReporter {
  const started = now()
  const interactive = stream.isTTY === true
  let lastDrawn = 0
  let barShown = false
  let done = 0
  let failed = 0

  const describe = () => {
    const seconds = (now() - started) / 1000
    const rate = seconds > 0 ? done / seconds : 0
    const remaining = rate > 0 ? (total - done) / rate : Number.NaN
    const failures = failed > 0 ? `, ${failed} failed` : ''
    return `${done}/${total} images, ${rate.toFixed(1)} images/s, ETA ${formatDuration(remaining)}${failures}`
  }
  const clearBar = () => {
    if (barShown) stream.write('\r\x1b[2K')
    barShown = false
  }
  const drawBar = () => {
    const width = 24
    const filled = total > 0 ? Math.round((done / total) * width) : width
    stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${describe()}`)
    barShown = true
  }

  return {
    update(newDone, newFailed) {
      done = newDone
      failed = newFailed
      const time = now()
      const interval = interactive ? REDRAW_INTERVAL_MS : PLAIN_INTERVAL_MS
      if (time - lastDrawn < interval && done < total) return
      lastDrawn = time
      if (interactive) drawBar()
      else stream.write(`progress: ${describe()}\n`)
    },
    note(line) {
      clearBar()
      stream.write(`${line}\n`)
      if (interactive && done > 0) drawBar()
    },
    finish() {
      if (interactive && barShown) stream.write('\n')
      barShown = false
    },
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--'
  const whole = Math.round(seconds)
  const hours = Math.floor(whole / 3600)
  const minutes = Math.floor((whole % 3600) / 60)
  const secs = whole % 60
  const mmss = `${String(minutes).padStart(2, '0')}:${String(secs).padStart(2, '0')}`
  return hours > 0 ? `${hours}:${mmss}` : mmss
}
