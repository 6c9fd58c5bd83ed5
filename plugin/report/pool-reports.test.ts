import { describe, expect, it } from 'vitest'
import { buildScalingCase } from '../test-support/builders.ts'
import { buildTestReport } from '../test-support/reports.ts'
import { poolReports } from './pool-reports.ts'

describe('poolReports', () => {
  it('concatenates each case\'s runs, keeps cases of any report, and is complete only when every report is', () => {
    const a = buildTestReport([buildScalingCase({ id: 'x', gpuCounts: [1], repeats: 3 })], { createdAt: '2026-12-01T10:00:00Z' })
    const b = buildTestReport([buildScalingCase({ id: 'x', gpuCounts: [1], repeats: 2 }), buildScalingCase({ id: 'y', gpuCounts: [1], repeats: 1 })], { complete: false, createdAt: '2026-12-01T09:00:00Z' })
    const pooled = poolReports([a, b])
    expect(pooled.cases.map((c) => [c.id, c.runs.length])).toEqual([['x', 5], ['y', 1]])
    expect(pooled.complete).toBe(false)
    expect(pooled.createdAt).toBe('2026-12-01T09:00:00Z')
    expect(poolReports([a])).toBe(a)
    expect(() => poolReports([])).toThrow(/no report/)
  })
  it('a case that failed in any session fails the side; one skipped in a session takes the session that ran it', () => {
    const ran = buildTestReport([buildScalingCase({ id: 'x', gpuCounts: [1], repeats: 2 })])
    const failed = { ...ran, cases: ran.cases.map((c) => ({ ...c, status: 'error' as const, error: 'crashed' })) }
    const skipped = { ...ran, cases: ran.cases.map((c) => ({ ...c, status: 'skipped' as const, runs: [] })) }
    expect(poolReports([ran, failed]).cases[0]).toMatchObject({ status: 'error', error: 'crashed' })
    expect(poolReports([skipped, ran]).cases[0]).toMatchObject({ status: ran.cases[0]!.status })
    expect(poolReports([skipped, ran]).cases[0]!.runs).toHaveLength(2)
  })
})
