/**
 * The repeat policy's decisions (plugin/model/repeat-policy.ts): whether a GPU count needs another run, whether a run
 * is a warm-up, and the interleaved order of a round. Pure: no I/O, the caller runs the pipeline.
 */
import { RepeatPolicySchema, type RepeatPolicy, type RepeatsOption } from '../model/repeat-policy.ts'
import { fixed, percent } from './format-numbers.ts'
import { max, median, min } from './statistics.ts'

/** A number is the minimum of measured runs; an object is a policy (defaults fill the rest). */
export function repeatPolicy(option: RepeatsOption | undefined): RepeatPolicy {
  if (option === undefined) return RepeatPolicySchema.parse({})
  return RepeatPolicySchema.parse(typeof option === 'number' ? { minRuns: option, maxRuns: Math.max(option, RepeatPolicySchema.parse({}).maxRuns) } : option)
}

export interface CountProgress {
  /** Wall seconds of the measured runs so far at this GPU count (warm-up runs excluded). */
  measured: readonly number[]
  /** Seconds spent on this GPU count so far, warm-up included. */
  spentSeconds: number
}

export type RepeatDecision = { more: true } | { more: false; note: string }

function runs(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`
}

/** (max − min) / median of the last `k` runs, or null with fewer than k. */
export function recentSpread(measured: readonly number[], k: number): number | null {
  if (measured.length < k) return null
  const last = measured.slice(-k)
  const m = median(last)
  return m > 0 ? (max(last) - min(last)) / m : null
}

/** Whether one more measured run is needed at a GPU count; when not, the reason in words for the report. */
export function decideRepeat(policy: RepeatPolicy, progress: CountProgress): RepeatDecision {
  const n = progress.measured.length
  if (n < policy.minRuns) return { more: true }
  const typical = median(progress.measured)
  if (typical >= policy.shortRunSeconds) {
    return { more: false, note: `${runs(n)}: long run (median ${fixed(typical, 1)} s ≥ ${policy.shortRunSeconds} s), not repeated beyond minRuns ${policy.minRuns}` }
  }
  if (n >= policy.maxRuns) return { more: false, note: `${runs(n)}: maxRuns ${policy.maxRuns} reached (last ${policy.stableRuns} within ${percent(recentSpread(progress.measured, policy.stableRuns) ?? 0, 1)})` }
  if (progress.spentSeconds >= policy.budgetSeconds) return { more: false, note: `${runs(n)}: time budget ${policy.budgetSeconds} s spent` }
  if (n < policy.shortMinRuns) return { more: true }
  const spread = recentSpread(progress.measured, policy.stableRuns)
  if (spread !== null && spread <= policy.stableWithin) {
    return { more: false, note: `${runs(n)}: stable, last ${policy.stableRuns} within ${percent(spread, 1)} (≤ ${percent(policy.stableWithin, 0)})` }
  }
  return { more: true }
}

/** Whether a finished run is a warm-up: only the case's first run can be, and under 'auto' only a short one. */
export function isWarmupRun(policy: RepeatPolicy, run: { firstOfCase: boolean; wallSeconds: number }): boolean {
  if (!run.firstOfCase || policy.warmup === 'never') return false
  return policy.warmup === 'always' || run.wallSeconds < policy.shortRunSeconds
}

/**
 * The GPU counts to run in the next round, in declaration order: every count that still needs a run. Rounds of
 * 1, 2, 4, 1, 2, 4 … keep a drifting machine (thermal, other tenants) from reading as scaling.
 */
export function nextRound(counts: readonly number[], decisions: ReadonlyMap<number, RepeatDecision>): number[] {
  return counts.filter((count) => decisions.get(count)?.more ?? true)
}
