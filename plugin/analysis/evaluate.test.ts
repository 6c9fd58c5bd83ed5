import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLDS } from '../model/thresholds.ts'
import { buildCase, buildComparison, buildRun, buildScalingCase } from '../test-support/builders.ts'
import { evaluateCase } from './evaluate.ts'
import { summariseSuite } from './summary.ts'

const manifest = { name: 'real-1M', sequenceCount: 1_000_000, length: { mean: 150 } }

describe('evaluateCase', () => {
  it('warns on speedups below the band, stating measured value, target, shortfall and basis', () => {
    const { warnings } = evaluateCase(buildScalingCase({ gpuCounts: [1, 2, 4], repeats: 3 }), DEFAULT_THRESHOLDS)
    const two = warnings.find((w) => w.metric === 'speedup.2gpu')
    expect(two).toMatchObject({ code: 'speedup-below-band', caseId: 'scaling-small', basis: 'measured (median of 3 runs)', target: '≥ 1.60× (target 1.80×) on 2 GPUs' })
    expect(two?.measured).toBeCloseTo(1.5647, 3)
    expect(two?.shortfall).toMatch(/^0\.04× short of 1\.60× \(2 %\)$/)
    const eight = warnings.find((w) => w.metric === 'speedup.8gpu')
    expect(eight?.basis).toMatch(/^projected \(Amdahl fit, f=/)
  })
  it('does not warn when the speedups are within band', () => {
    const { warnings } = evaluateCase(buildScalingCase({ gpuCounts: [1, 2], efficiency: 1, repeats: 1 }), {
      ...DEFAULT_THRESHOLDS,
      speedup: { '2': { target: 1.5, min: 1.2 } },
    })
    expect(warnings.filter((w) => w.code === 'speedup-below-band')).toEqual([])
  })
  it('warns on low embedding utilisation with the sampling interval as basis', () => {
    const { warnings } = evaluateCase(buildScalingCase({ gpuCounts: [1], utilisationPercent: 62.5 }), DEFAULT_THRESHOLDS)
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'embedding-utilisation-low', measured: 62.5, target: '> 80 %', shortfall: '17.5 points short of 80 %', basis: 'sampled at 500 ms' }),
    )
  })
  it('lists missing data as not evaluated, never as a miss', () => {
    const { warnings, analysis } = evaluateCase(buildScalingCase({ gpuCounts: [1], utilisationPercent: null }), DEFAULT_THRESHOLDS)
    expect(warnings).toEqual([])
    const checks = analysis.notEvaluated.map((n) => n.check)
    expect(checks).toEqual(expect.arrayContaining(['speedup at 2 GPUs', 'speedup at 4 GPUs', 'speedup at 8 GPUs', 'embedding GPU utilisation at 1 GPU(s)', 'real-sample wall time on 4 GPUs']))
    expect(analysis.notEvaluated.find((n) => n.check === 'speedup at 2 GPUs')?.reason).toMatch(/2 GPUs not measured \(measured: 1\)/)
    expect(analysis.notEvaluated.find((n) => n.check.startsWith('real-sample'))?.reason).toBe('no sample manifest for this case')
  })
  it('treats CPU-only runs as not evaluated', () => {
    const c = buildCase({ runs: [buildRun({ gpuCount: 0 })] })
    const { warnings, analysis } = evaluateCase(c, DEFAULT_THRESHOLDS)
    expect(warnings).toEqual([])
    expect(analysis.notEvaluated.find((n) => n.check === 'speedup at 2 GPUs')?.reason).toBe('no GPU runs (CPU only)')
    expect(analysis.notEvaluated.find((n) => n.check === 'embedding GPU utilisation')?.reason).toBe('no GPU runs (CPU only)')
  })
  it('projects the real sample and warns when it is over target + tolerance', () => {
    // The manifest's 150 bp reads give proteins a third as long as the builder's 500 bp chunks: slow it down enough
    // that even the low end of the one-sample interval (±25 %) is over 11 h.
    const slow = buildScalingCase({ gpuCounts: [1, 4], repeats: 1, slowdown: 6 })
    const { warnings, analysis } = evaluateCase(slow, DEFAULT_THRESHOLDS, manifest)
    const four = analysis.projections.find((p) => p.gpus === 4)
    expect(four?.low).toBeGreaterThan(11 * 3600)
    expect(four?.verdict).toBe('over target')
    const warning = warnings.find((w) => w.code === 'real-sample-over-target')
    expect(warning?.basis).toMatch(/^projected/)
    expect(warning?.target).toBe('< 10 h ± 10 % (≤ 11.00 h) on 4 GPUs')
    expect(warning?.shortfall).toMatch(/h over 11\.00 h/)
  })
  it('does not warn when the projected real sample fits the target', () => {
    const { warnings, analysis } = evaluateCase(buildScalingCase({ gpuCounts: [1, 4], repeats: 1 }), DEFAULT_THRESHOLDS, manifest)
    expect(analysis.projections.find((p) => p.gpus === 4)?.withinTarget).toBe(true)
    expect(warnings.some((w) => w.code === 'real-sample-over-target')).toBe(false)
  })
  it('evaluates nothing for errored or skipped cases, and says why', () => {
    const errored = evaluateCase(buildCase({ status: 'error', error: 'exit 4: out of memory' }), DEFAULT_THRESHOLDS)
    expect(errored.analysis.notEvaluated).toEqual([{ check: 'performance thresholds', caseId: 'scaling-small', reason: 'case errored: exit 4: out of memory' }])
    const skipped = evaluateCase(buildCase({ status: 'skipped', skipReasons: ['needs 8 GPUs, this machine has 1'] }), DEFAULT_THRESHOLDS)
    expect(skipped.analysis.notEvaluated[0]?.reason).toBe('case skipped: needs 8 GPUs, this machine has 1')
  })
  it('applies no performance thresholds to validation cases', () => {
    const { warnings, analysis } = evaluateCase(buildCase({ kind: 'validation', runs: [buildRun({ utilisationPercent: 10 })] }), DEFAULT_THRESHOLDS)
    expect(warnings).toEqual([])
    expect(analysis.notEvaluated).toEqual([])
  })
})

describe('summariseSuite', () => {
  const ok = { verdict: { state: 'pass' as const } }
  it('passes, passes with warnings, or fails', () => {
    expect(summariseSuite([ok], 0, false).status).toBe('pass')
    expect(summariseSuite([ok], 2, false)).toEqual({ status: 'pass-with-warnings', cases: 1, passed: 1, failed: 0, warnings: 2, skipped: 0 })
    expect(summariseSuite([ok, { verdict: { state: 'fail' } }], 0, false).status).toBe('fail')
  })
  it('strict mode turns warnings into failure', () => {
    expect(summariseSuite([ok], 1, true).status).toBe('fail')
  })
  it('counts failed cases and skipped cases apart', () => {
    const summary = summariseSuite([{ verdict: { state: 'fail' } }, { verdict: { state: 'skipped' } }], 0, false)
    expect(summary).toEqual({ status: 'fail', cases: 2, passed: 0, failed: 1, warnings: 0, skipped: 1 })
  })
})
