import { describe, expect, it } from 'vitest'
import { createProgressMeter } from '../../../src-main/core/jobs/progress-meter'

describe('createProgressMeter', () => {
  it('measures images per second over the session and projects the time left', () => {
    let now = 1000
    const meter = createProgressMeter(() => now)
    expect(meter.imagesPerSecond()).toBe(0)
    expect(meter.etaSeconds(10)).toBeNull()
    for (let index = 0; index < 4; index++) meter.tick()
    now += 2000
    expect(meter.imagesPerSecond()).toBe(2)
    expect(meter.etaSeconds(10)).toBe(5)
  })

  it('has nothing left to wait for once no image remains', () => {
    const meter = createProgressMeter(() => 0)
    expect(meter.etaSeconds(0)).toBe(0)
  })
})
