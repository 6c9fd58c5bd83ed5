import { describe, expect, it } from 'vitest'
import { buildCase, buildComparison } from '../test-support/builders.ts'
import { caseVerdict } from './case-verdict.ts'

const fault = (verdict: 'pass' | 'warn' | 'fail', findings: string[] | 'none') => ({ verdict, findings })

describe('caseVerdict', () => {
  it('a validation whose verdict is fail is failed, never "ok"', () => {
    const c = buildCase({ kind: 'validation', comparisons: [buildComparison('fail')] })
    expect(caseVerdict({ ...c, warningCount: 0 })).toMatchObject({ state: 'fail', label: '❌ fail: verdict fail' })
  })
  it('a fault case passes when the fault was caught as expected, and says so', () => {
    const comparison = buildComparison('fail')
    const c = { ...buildCase({ kind: 'validation', comparisons: [comparison] }), expectation: fault('fail', ['label-flips']) }
    expect(caseVerdict({ ...c, warningCount: 0 })).toMatchObject({ state: 'pass', label: '✅ expected: fail, got: fail (caught)', expected: 'fail', got: 'fail' })
  })
  it('a fault case fails when the verdict differs or no finding names the fault', () => {
    const passed = { ...buildCase({ kind: 'validation', comparisons: [buildComparison('pass')] }), expectation: fault('fail', ['missing-ids']) }
    expect(caseVerdict({ ...passed, warningCount: 0 })).toMatchObject({ state: 'fail', label: '❌ expected: fail, got: pass (not caught: verdict pass, expected fail)' })
    const unnamed = { ...buildCase({ kind: 'validation', comparisons: [buildComparison('fail')] }), expectation: fault('fail', ['nan-values']) }
    expect(caseVerdict({ ...unnamed, warningCount: 0 }).state).toBe('fail')
  })
  it('an expected clean pass reads "as expected"; errors, skips and warnings each have their own state', () => {
    const clean = { ...buildCase({ kind: 'validation', comparisons: [buildComparison('pass')] }), expectation: fault('pass', 'none') }
    expect(caseVerdict({ ...clean, warningCount: 0 }).label).toBe('✅ expected: pass, got: pass (as expected)')
    expect(caseVerdict({ ...buildCase({ status: 'error', error: 'exit 4' }), warningCount: 0 })).toMatchObject({ state: 'fail', reason: 'exit 4' })
    expect(caseVerdict({ ...buildCase({ status: 'skipped', skipReasons: ['no manifest'] }), warningCount: 0 })).toMatchObject({ state: 'skipped', reason: 'no manifest' })
    expect(caseVerdict({ ...buildCase(), warningCount: 2 }).label).toBe('⚠️ 2 warnings')
  })
})
