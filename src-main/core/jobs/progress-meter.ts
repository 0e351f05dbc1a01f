/**
 * Images per second and time left for a run, measured over the current session only: a
 * resumed run's earlier images took no time now and must not inflate the rate.
 */
export interface ProgressMeter {
  /** Call once per image finished in this session. */
  tick(): void
  imagesPerSecond(): number
  /** Seconds left for `remaining` images, null while no rate is known. */
  etaSeconds(remaining: number): number | null
}

export function createProgressMeter(now: () => number = () => performance.now()): ProgressMeter {
  const started = now()
  let finished = 0
  const rate = () => {
    const seconds = (now() - started) / 1000
    return seconds > 0 ? finished / seconds : 0
  }
  return {
    tick() {
      finished++
    },
    imagesPerSecond: rate,
    etaSeconds(remaining) {
      if (remaining <= 0) return 0
      const perSecond = rate()
      return perSecond > 0 ? remaining / perSecond : null
    },
  }
}
