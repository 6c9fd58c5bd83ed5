/**
 * Runs a case's GPU counts by its repeat policy: interleaved rounds (1, 2, 4, 1, 2, 4 …) until every count's
 * policy is satisfied, the case's first run marked warm-up when the policy says so. The decisions are the pure
 * plugin/analysis/repeat-policy.ts; this only drives the session.
 */
import { decideRepeat, isWarmupRun, nextRound, type RepeatDecision } from '../analysis/repeat-policy.ts'
import type { RepeatPolicy } from '../model/repeat-policy.ts'
import type { TaskHandle } from '../vitest/task-handle.ts'
import type { CaseSession } from './case-session.ts'

function label(count: number): string {
  return count === 0 ? 'CPU' : `${count} GPU${count === 1 ? '' : 's'}`
}

/** What the rounds need of a case session (a structural type, so the order of runs can be tested without pipelines). */
export type RoundsSession = Pick<CaseSession, 'run' | 'runsSoFar' | 'noteRepeat' | 'persist'>

export async function runRounds(session: RoundsSession, counts: readonly number[], policy: RepeatPolicy, handle: TaskHandle): Promise<void> {
  const decisions = new Map<number, RepeatDecision>()
  for (let round = nextRound(counts, decisions); round.length > 0; round = nextRound(counts, decisions)) {
    for (const count of round) {
      const firstOfCase = session.runsSoFar.length === 0
      await session.run({ mode: 'optimised', gpuCount: count, warmupIf: (wallSeconds) => isWarmupRun(policy, { firstOfCase, wallSeconds }) }, handle)
      const atCount = session.runsSoFar.filter((r) => r.gpuCount === count)
      const measured = atCount.filter((r) => !r.warmup).map((r) => r.wallSeconds)
      const decision = decideRepeat(policy, { measured, spentSeconds: atCount.reduce((t, r) => t + r.wallSeconds, 0) })
      decisions.set(count, decision)
      if (!decision.more) session.noteRepeat(`${label(count)}: ${decision.note}${atCount.some((r) => r.warmup) ? ' (+1 warm-up run, shown apart)' : ''}`)
    }
  }
  await session.persist(handle)
}
