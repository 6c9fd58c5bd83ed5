import { describe, expect, it } from 'vitest'
import { compareReports, formatComparisonMarkdown } from './compare-reports.ts'
import { buildCase, buildEnvironment, buildScalingCase } from '../test-support/builders.ts'
import { buildTestReport } from '../test-support/reports.ts'

const base = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5 })])

describe('compareReports', () => {
  it('finds nothing when a report is compared with itself', () => {
    const c = compareReports(base, base)
    expect(c.exitCode).toBe(0)
    expect(c.regressions).toBe(0)
    expect(c.environmentWarnings).toEqual([])
    const total = c.rows.find((r) => r.metric === 'total wall time (s)' && r.gpus === 1)
    expect(total?.significance).toMatch(/^not significant \(Mann–Whitney p=1\.000/)
  })
  it('flags a significant > 10 % slowdown as a regression, with stage rows informational', () => {
    const slower = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5, slowdown: 1.3 })])
    const c = compareReports(base, slower)
    expect(c.exitCode).toBe(1)
    const total = c.rows.find((r) => r.metric === 'total wall time (s)' && r.gpus === 1)
    expect(total?.verdict).toBe('regression')
    expect(total?.significance).toMatch(/^significant \(Mann–Whitney p=0\.0\d\d/)
    const stage = c.rows.find((r) => r.metric.startsWith('stage ESM-2'))
    expect(stage?.counts).toBe(false)
    expect(formatComparisonMarkdown(c)).toMatch(/\| stage ESM-2 Feature Extraction \(s\) \| .* \| slower \|/)
  })
  it('says "not testable (n<5)" with few repeats and still applies the rule', () => {
    const few = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 2 })])
    const fewSlower = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 2, slowdown: 1.2 })])
    const c = compareReports(few, fewSlower)
    const total = c.rows.find((r) => r.metric === 'total wall time (s)')
    expect(total?.significance).toBe('not testable (n<5: 2 vs 2 repeats)')
    expect(total?.verdict).toBe('regression')
  })
  it('reports a speedup drop > 0.1× as a regression and utilisation / memory changes as warnings', () => {
    const worse = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5, efficiency: 0.7, utilisationPercent: 70, memoryPeakMiB: 60000 })])
    const c = compareReports(base, worse)
    expect(c.rows.find((r) => r.metric === 'speedup (×)')?.verdict).toBe('regression')
    expect(c.rows.find((r) => r.metric === 'embedding utilisation (%)' && r.gpus === 1)?.verdict).toBe('warning')
    expect(c.rows.find((r) => r.metric === 'GPU memory peak (MiB)' && r.gpus === 1)?.verdict).toBe('warning')
  })
  it('calls ≥ 5 % faster an improvement', () => {
    const faster = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5, slowdown: 0.8 })])
    const c = compareReports(base, faster)
    expect(c.exitCode).toBe(0)
    expect(c.improvements).toBeGreaterThan(0)
  })
  it('warns when environments differ and lists unmatched cases', () => {
    const other = buildTestReport([buildScalingCase({ id: 'other', environment: buildEnvironment({ gpuCount: 8, gpuName: 'NVIDIA A100', driverVersion: '550.1' }) })])
    const c = compareReports(base, other)
    expect(c.environmentWarnings).toEqual(['GPUs differs: 4× NVIDIA H200 → 8× NVIDIA A100', 'driver differs: 570.86.15 → 550.1'])
    expect(c.onlyInBase).toEqual(['scaling-small'])
    expect(c.onlyInNew).toEqual(['other'])
    expect(c.exitCode).toBe(2)
  })
  it('has nothing to compare in validation-only reports', () => {
    const v = buildTestReport([buildCase({ kind: 'validation' })])
    expect(compareReports(v, v).exitCode).toBe(2)
  })
})
