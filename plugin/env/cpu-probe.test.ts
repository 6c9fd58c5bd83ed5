import { describe, expect, it } from 'vitest'
import { cpuProbeMs } from './cpu-probe.ts'

describe('cpuProbeMs', () => {
  it('times its fixed workload in milliseconds (a few ms on an idle core, never instantaneous)', () => {
    const ms = cpuProbeMs()
    expect(Number.isFinite(ms)).toBe(true)
    expect(ms).toBeGreaterThan(0.5)
    expect(ms).toBeLessThan(5000)
  })
})
