import { describe, expect, it } from 'vitest'
import { FINDING_RULES, LogFindingCodeSchema } from './log-findings.ts'

describe('log finding codes', () => {
  it('gives every code one rule, except the one the runner records itself', () => {
    const ruled = FINDING_RULES.map((r) => r.code)
    expect(new Set(ruled).size).toBe(ruled.length)
    expect(LogFindingCodeSchema.options.filter((c) => !ruled.includes(c))).toEqual(['leftover-processes'])
  })
})
