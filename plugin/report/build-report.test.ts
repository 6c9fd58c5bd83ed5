import { describe, expect, it } from 'vitest'
import { evaluateCase } from '../analysis/evaluate.ts'
import { DEFAULT_THRESHOLDS } from '../model/thresholds.ts'
import { buildReport } from './build-report.ts'
import { buildEnvironment, buildScalingCase } from '../test-support/builders.ts'

function report(cases: Parameters<typeof buildReport>[0]['cases']) {
  return buildReport({ suite: 'bench', createdAt: '2026-12-01T00:00:00Z', complete: true, strict: false, environment: buildEnvironment(), config: {}, thresholds: DEFAULT_THRESHOLDS, cases })
}

describe('buildReport evaluates each case once', () => {
  // Efficiency 0.8 on 2 GPUs is a 1.6× speedup, below the default band: one speedup warning.
  const slow = buildScalingCase({ id: 'slow', gpuCounts: [1, 2], efficiency: 0.8, repeats: 1 })

  it('uses the evaluation stored with a case as it is, without evaluating it again', () => {
    const stored = { ...slow, ...evaluateCase(slow, { ...DEFAULT_THRESHOLDS, speedup: {} }) }
    const built = report([stored])
    expect(built.warnings.filter((w) => w.code === 'speedup-below-band')).toEqual([])
    expect(built.cases[0]?.analysis).toEqual(stored.analysis)
  })

  it('evaluates a case that has no evaluation yet, and lists each warning once', () => {
    const built = report([slow])
    const speedup = built.warnings.filter((w) => w.code === 'speedup-below-band')
    expect(speedup.map((w) => w.metric)).toContain('speedup.2gpu')
    const keys = built.warnings.map((w) => `${w.caseId}|${w.code}|${w.metric}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(built.cases[0]?.warnings).toEqual(built.warnings)
    expect(built.summary.warnings).toBe(built.warnings.length)
  })
})
