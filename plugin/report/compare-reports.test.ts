import { describe, expect, it } from 'vitest'
import type { CaseResult } from '../model/case-result.ts'
import { compareReports, formatComparisonMarkdown } from './compare-reports.ts'
import { buildCase, buildEnvironment, buildRun, buildScalingCase } from '../test-support/builders.ts'
import { buildTestReport } from '../test-support/reports.ts'

const base = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5 })])

/** The same case with every wall time multiplied by a deterministic ±`amplitude` factor: an A/A pair's noise. */
function jittered(c: CaseResult, amplitude: number, phase: number): CaseResult {
  return { ...c, runs: c.runs.map((r, i) => ({ ...r, wallSeconds: r.wallSeconds * (1 + amplitude * Math.sin(i * 2.1 + phase)) })) }
}

describe('compareReports: verdicts', () => {
  it('finds nothing when a report is compared with itself', () => {
    const c = compareReports(base, base)
    expect(c.exitCode).toBe(0)
    expect(c.regressions).toBe(0)
    expect(c.inputProblems).toEqual([])
    expect(c.environmentWarnings).toEqual([])
    const total = c.rows.find((r) => r.metric === 'total wall time (s)' && r.gpus === 1)
    expect(total?.significance).toMatch(/^not significant \(5 vs 5 runs: Mann–Whitney p=1\.000/)
  })
  it('A/A pairs with ±15 % noise are never a regression', () => {
    const plain = buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5 })
    for (let phase = 0; phase < 10; phase++) {
      const c = compareReports(buildTestReport([jittered(plain, 0.15, phase)]), buildTestReport([jittered(plain, 0.15, phase + 0.5)]))
      expect(c.regressions, `phase ${phase}`).toBe(0)
      expect(c.exitCode).toBe(0)
    }
  })
  it('flags a > 10 % slowdown beyond noise as a regression, with its significance; stage rows informational', () => {
    const slower = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5, slowdown: 1.3 })])
    const c = compareReports(base, slower)
    expect(c.exitCode).toBe(1)
    const total = c.rows.find((r) => r.metric === 'total wall time (s)' && r.gpus === 1)
    expect(total?.verdict).toBe('regression')
    expect(total?.significance).toMatch(/^significant \(5 vs 5 runs: Mann–Whitney p=0\.0\d\d, .*; median ratio 1\.\d+ \[1\.\d+, 1\.\d+\] 95 % bootstrap\)/)
    const stage = c.rows.find((r) => r.metric.startsWith('stage ESM-2'))
    expect(stage?.counts).toBe(false)
    expect(formatComparisonMarkdown(c)).toMatch(/\| stage ESM-2 Feature Extraction \(s\) \| .* \| slower \|/)
  })
  it('1 vs 1 runs: "not testable, 1 vs 1 runs", never a regression', () => {
    const one = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 1 })])
    const oneSlower = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 1, slowdown: 1.3 })])
    const c = compareReports(one, oneSlower)
    const total = c.rows.find((r) => r.metric === 'total wall time (s)')
    expect(total?.significance).toBe('not testable, 1 vs 1 runs')
    expect(total?.verdict).toBe('untestable')
    expect(c.regressions).toBe(0)
    expect(c.exitCode).toBe(0)
    expect(formatComparisonMarkdown(c)).toContain('? not testable')
  })
  it('2 vs 2 runs: a regression only beyond both ranges', () => {
    const few = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 2 })])
    const fewSlower = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 2, slowdown: 1.2 })])
    const total = compareReports(few, fewSlower).rows.find((r) => r.metric === 'total wall time (s)')
    expect(total?.significance).toMatch(/^outside the ranges \(2 vs 2 runs: Δ median .* s vs ranges .* s\)/)
    expect(total?.verdict).toBe('regression')
  })
  it('a stage from 0.00 s to 0.01 s is below the floor, not +∞ % slower', () => {
    const tiny = (seconds: number) => buildCase({ id: 'tiny', kind: 'throughput', runs: [0, 1, 2, 3, 4].map((i) => buildRun({ id: `t${seconds}-${i}`, gpuCount: 1, stageSeconds: { CHUNKING: seconds }, startedAtMs: Date.UTC(2026, 10, 28, 12, i) })) })
    const c = compareReports(buildTestReport([tiny(0)]), buildTestReport([tiny(0.01)]))
    expect(c.rows.find((r) => r.metric === 'stage Sequence Chunking (s)')?.verdict).toBe('below-floor')
  })
  it('leaves warm-up runs out', () => {
    const plain = buildScalingCase({ gpuCounts: [1], repeats: 5, jitter: 0.5 })
    const first = plain.runs[0]
    if (first === undefined) throw new Error('no run built')
    const withWarmup = { ...plain, runs: [{ ...first, id: 'warm', warmup: true, wallSeconds: first.wallSeconds * 3 }, ...plain.runs] }
    const c = compareReports(buildTestReport([plain]), buildTestReport([withWarmup]))
    expect(c.rows.find((r) => r.metric === 'total wall time (s)')?.significance).toMatch(/5 vs 5 runs/)
    expect(c.regressions).toBe(0)
  })
  it('reports a speedup drop > 0.1× beyond noise as a regression and utilisation / memory changes as warnings', () => {
    const worse = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5, efficiency: 0.7, utilisationPercent: 70, memoryPeakMiB: 60000 })])
    const c = compareReports(base, worse)
    const speedup = c.rows.find((r) => r.metric === 'speedup (×)')
    expect(speedup?.verdict).toBe('regression')
    expect(speedup?.significance).toMatch(/^beyond the rule \(Δ speedup 95 % bootstrap/)
    expect(c.rows.find((r) => r.metric === 'embedding utilisation (%)' && r.gpus === 1)?.verdict).toBe('warning')
    expect(c.rows.find((r) => r.metric === 'GPU memory peak (MiB)' && r.gpus === 1)?.verdict).toBe('warning')
  })
  it('calls ≥ 5 % faster beyond noise an improvement', () => {
    const faster = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5, slowdown: 0.8 })])
    const c = compareReports(base, faster)
    expect(c.exitCode).toBe(0)
    expect(c.improvements).toBeGreaterThan(0)
  })
})

describe('compareReports: honest inputs', () => {
  const slower = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, jitter: 0.5, slowdown: 1.3 })], { complete: false })
  it('an incomplete report on either side is stated at the top and gives exit 2', () => {
    for (const [a, b] of [[base, slower], [slower, base]] as const) {
      const c = compareReports(a, b)
      expect(c.exitCode).toBe(2)
      expect(c.inputProblems[0]).toMatch(/the (base|new) report is incomplete \(complete: false/)
      expect(c.rows).toEqual([])
      const md = formatComparisonMarkdown(c)
      expect(md.indexOf('## Inputs that cannot be compared')).toBeLessThan(md.indexOf('Rules:'))
      expect(md).toContain('nothing comparable (inputs incomplete')
    }
  })
  it('--allow-incomplete compares what it can, still stating the problem', () => {
    const c = compareReports(base, slower, { allowIncomplete: true })
    expect(c.exitCode).toBe(1)
    expect(c.inputProblems).toHaveLength(1)
    expect(formatComparisonMarkdown(c)).toContain('compared anyway (--allow-incomplete)')
  })
  it('a failed case, or a case on one side only, gives exit 2 for that case', () => {
    const good = buildScalingCase({ gpuCounts: [1], repeats: 5, jitter: 0.5 })
    const failed = buildCase({ id: 'scaling-small', status: 'error', error: 'exit 1: failed' })
    const extra = buildScalingCase({ id: 'extra', gpuCounts: [1], repeats: 5 })
    const c = compareReports(buildTestReport([good]), buildTestReport([failed, extra]))
    expect(c.inputProblems).toEqual(['scaling-small: failed in the new report (exit 1: failed)', 'extra: only in the new report'])
    expect(c.affectedCases).toEqual(['extra', 'scaling-small'])
    expect(c.exitCode).toBe(2)
  })
  it('cases skipped on both sides are not a problem', () => {
    const skipped = buildCase({ id: 'real', kind: 'end-to-end', status: 'skipped', skipReasons: ['no manifest'] })
    const c = compareReports(buildTestReport([...base.cases, skipped]), buildTestReport([...base.cases, skipped]))
    expect(c.inputProblems).toEqual([])
    expect(c.exitCode).toBe(0)
  })
  it('warns when environments differ and lists unmatched cases', () => {
    const other = buildTestReport([buildScalingCase({ id: 'other', environment: buildEnvironment({ gpuCount: 8, gpuName: 'NVIDIA A100', driverVersion: '550.1' }) })])
    const c = compareReports(base, other)
    expect(c.environmentWarnings).toEqual(['GPUs differs: 4× NVIDIA H200 → 8× NVIDIA A100', 'driver differs: 570.86.15 → 550.1'])
    expect(c.onlyInBase).toEqual(['scaling-small'])
    expect(c.onlyInNew).toEqual(['other'])
    expect(c.exitCode).toBe(2)
  })
  it('warns when a side ran on a busy machine (1-min load above the CPU count), with the figure', () => {
    const plain = buildScalingCase({ gpuCounts: [1], repeats: 5, jitter: 0.5 })
    const busy = { ...plain, runs: plain.runs.map((r) => ({ ...r, hostLoad: 40 })) }
    const c = compareReports(buildTestReport([plain]), buildTestReport([busy]))
    expect(c.environmentWarnings).toEqual([`the new report ran on a busy machine (median 1-min load 40.0 on ${busy.runs[0]?.environment.cpuCount} CPUs): its timings carry other processes' contention`])
    expect(c.exitCode).toBe(0)
  })
  it('has nothing to compare in validation-only reports', () => {
    const v = buildTestReport([buildCase({ kind: 'validation' })])
    expect(compareReports(v, v).exitCode).toBe(2)
  })
})
