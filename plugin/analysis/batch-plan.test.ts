import { describe, expect, it } from 'vitest'
import { batchWork, tokenCounts } from './batch-plan.ts'
import type { LengthCounts } from '../model/work-profile.ts'

/** The reference pipeline's planners (embed.py plan_token_budget / plan_fair_esm), one sequence at a time. */
function planGreedy(lengths: number[], budget: number, longestFirst: boolean): number[][] {
  const sorted = [...lengths].sort((a, b) => (longestFirst ? b - a : a - b))
  const batches: number[][] = []
  let current: number[] = []
  let max = 0
  for (const length of sorted) {
    if (current.length > 0 && Math.max(max, length) * (current.length + 1) > budget) {
      batches.push(current)
      current = []
      max = 0
    }
    current.push(length)
    max = Math.max(max, length)
  }
  if (current.length > 0) batches.push(current)
  return batches
}

function expand(pairs: LengthCounts): number[] {
  return pairs.flatMap(([length, count]) => new Array<number>(count).fill(length))
}

const lengths: LengthCounts = [
  [3, 2],
  [40, 17],
  [51, 300],
  [52, 299],
  [160, 40],
  [168, 1000],
  [900, 3],
  [5000, 2],
]

describe('batchWork', () => {
  for (const longest of [true, false]) {
    it(`matches the ${longest ? 'longest' : 'shortest'}-first planner sequence by sequence`, () => {
      for (const budget of [1000, 4096, 16384]) {
        const plan = planGreedy(expand(lengths), budget, longest)
        const work = batchWork(lengths, { kind: longest ? 'longest-first' : 'shortest-first', budget })
        expect(work.batches).toBe(plan.length)
        expect(work.paddedTokens).toBe(plan.reduce((s, b) => s + b.length * Math.max(...b), 0))
        expect(work.paddedSquaredTokens).toBe(plan.reduce((s, b) => s + b.length * Math.max(...b) ** 2, 0))
      }
    })
  }
  it('packs without padding and counts batches by the token total', () => {
    const work = batchWork(lengths, { kind: 'packed', budget: 16384 })
    expect(work.paddedTokens).toBe(work.tokens)
    expect(work.batches).toBe(Math.ceil(work.tokens / 16384))
  })
  it('merges lengths that tokenise alike', () => {
    expect(tokenCounts([[4, 1], [5, 2], [8, 3]], (n) => Math.ceil(n / 4) + 2)).toEqual([[3, 1], [4, 5]])
  })
})
