/** Runs at most `limit` tasks at once; the rest wait in arrival order. */
export class ConcurrencyLimit {
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`The concurrency limit must be a positive integer, got ${limit}.`)
  }

  get activeCount(): number {
    return this.active
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++
    // A finishing task hands its slot straight to the next waiter, so the count never overshoots.
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}
