import { describe, expect, it } from 'vitest'
import { repeatPolicy } from '../analysis/repeat-policy.ts'
import type { RunResult } from '../model/run-result.ts'
import { buildRun } from '../test-support/builders.ts'
import type { TaskHandle } from '../vitest/task-handle.ts'
import { runRounds, type RoundsSession } from './repeat-rounds.ts'
import type { RunSpec } from './case-session.ts'

/** A session whose "pipeline" takes `seconds(count, n)` for the n-th run at a GPU count. */
function fakeSession(seconds: (count: number, n: number) => number): RoundsSession & { order: number[]; notes: string[] } {
  const runs: RunResult[] = []
  const order: number[] = []
  const notes: string[] = []
  return {
    order,
    notes,
    get runsSoFar() {
      return runs
    },
    async run(spec: RunSpec) {
      const n = runs.filter((r) => r.gpuCount === spec.gpuCount).length
      const wall = seconds(spec.gpuCount, n)
      const run = { ...buildRun({ id: `r${runs.length}`, gpuCount: spec.gpuCount }), wallSeconds: wall, warmup: spec.warmupIf?.(wall) ?? false }
      runs.push(run)
      order.push(spec.gpuCount)
      return run
    },
    noteRepeat(note: string) {
      notes.push(note)
    },
    async persist() {
      return undefined as never
    },
  }
}

const handle = {} as TaskHandle

describe('runRounds', () => {
  it('interleaves GPU counts (1, 2, 4, 1, 2, 4 …) and marks the short first run a warm-up', async () => {
    const session = fakeSession((count) => 4 / Math.max(1, count))
    await runRounds(session, [1, 2, 4], repeatPolicy(undefined), handle)
    expect(session.order.slice(0, 7)).toEqual([1, 2, 4, 1, 2, 4, 1])
    expect(session.runsSoFar.filter((r) => r.warmup).map((r) => r.gpuCount)).toEqual([1])
    expect(session.runsSoFar.filter((r) => !r.warmup && r.gpuCount === 1)).toHaveLength(8)
    expect([...session.notes].sort()).toEqual([
      '1 GPU: 8 runs: stable, last 3 within 0.0 % (≤ 10 %) (+1 warm-up run, shown apart)',
      '2 GPUs: 8 runs: stable, last 3 within 0.0 % (≤ 10 %)',
      '4 GPUs: 8 runs: stable, last 3 within 0.0 % (≤ 10 %)',
    ])
  })
  it('long runs: one measured run per count, no warm-up, and it says so', async () => {
    const session = fakeSession(() => 40)
    await runRounds(session, [1, 2], repeatPolicy(undefined), handle)
    expect(session.order).toEqual([1, 2])
    expect(session.runsSoFar.some((r) => r.warmup)).toBe(false)
    expect(session.notes[0]).toBe('1 GPU: 1 run: long run (median 40.0 s ≥ 15 s), not repeated beyond minRuns 1')
  })
})
