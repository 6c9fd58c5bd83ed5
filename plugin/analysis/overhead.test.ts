import { describe, expect, it } from 'vitest'
import { SpanLog, summariseOverhead } from './overhead.ts'

describe('harness overhead', () => {
  it('accumulates repeated spans by name, in first-seen order', () => {
    const log = new SpanLog()
    log.add('prepare: python', 1.5)
    log.add('run: harness around the process', 0.25)
    log.add('run: harness around the process', 0.5)
    expect(log.list()).toEqual([
      { name: 'prepare: python', seconds: 1.5, count: 1 },
      { name: 'run: harness around the process', seconds: 0.75, count: 2 },
    ])
  })
  it('per case = case wall − Σ run wall; in-run = harness CPU / Σ run wall', () => {
    const o = summariseOverhead({ caseStartedAtMs: 0, nowMs: 41_100, runWallSeconds: [31], inRunCpuSeconds: 0.31, spans: [] })
    expect(o.caseSeconds).toBeCloseTo(41.1)
    expect(o.perCaseSeconds).toBeCloseTo(10.1)
    expect(o.inRunFraction).toBeCloseTo(0.01)
    expect(summariseOverhead({ caseStartedAtMs: 0, nowMs: 1000, runWallSeconds: [], inRunCpuSeconds: 0, spans: [] }).inRunFraction).toBeNull()
  })
})
