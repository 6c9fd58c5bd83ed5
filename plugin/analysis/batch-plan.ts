/**
 * What a batching policy makes of a length distribution: padded tokens, padded attention (Σ over batches of
 * n·max²) and the number of batches, computed on `[length, count]` pairs without expanding them. Mirrors the
 * planners in fixtures/reference-pipeline/virnucpro_ref/embed.py and the real tool's packing
 * (shared/reference/virnucpro-contract.md §3). Pure: no I/O.
 */
import type { LengthCounts } from '../model/work-profile.ts'

export type BatchPolicy =
  /** Reference optimised mode (`plan_token_budget`): longest first, greedy while max_len·n ≤ budget. */
  | { kind: 'longest-first'; budget: number }
  /** fair-esm's `get_batch_indices` (vanilla ESM-2): shortest first, greedy while max_len·n ≤ budget. */
  | { kind: 'shortest-first'; budget: number }
  /** One sequence per forward pass (vanilla DNABERT-S): no padding. */
  | { kind: 'per-sequence' }
  /** Real VirNucPro v2 ESM-2: FFD packing into the budget with varlen attention, so no padding and Σℓ² per sequence. */
  | { kind: 'packed'; budget: number }
  /** A fixed number of sequences per batch, padded to the batch's longest; order assumed length-sorted (least padding). */
  | { kind: 'fixed-count'; sequences: number }

export interface BatchWork {
  sequences: number
  /** Σℓ over the sequences. */
  tokens: number
  /** Σℓ² over the sequences (what varlen attention computes). */
  sumSquaredTokens: number
  /** Σ over batches of n_b·max_b: the token slots the model computes. */
  paddedTokens: number
  /** Σ over batches of n_b·max_b²: the attention the model computes with padding. */
  paddedSquaredTokens: number
  batches: number
}

export function describePolicy(policy: BatchPolicy): string {
  switch (policy.kind) {
    case 'longest-first':
      return `length-sorted batches (longest first) of ≤ ${policy.budget} padded tokens`
    case 'shortest-first':
      return `length-sorted batches (shortest first, fair-esm) of ≤ ${policy.budget} padded tokens`
    case 'per-sequence':
      return 'one sequence per forward pass'
    case 'packed':
      return `packed batches of ≤ ${policy.budget} tokens, varlen attention (no padding)`
    case 'fixed-count':
      return `batches of ${policy.sequences} sequences padded to their longest (order assumed length-sorted)`
  }
}

/** Token counts per length, merged: the tokeniser maps several lengths to one token count. */
export function tokenCounts(lengths: LengthCounts, tokens: (length: number) => number): LengthCounts {
  const merged = new Map<number, number>()
  for (const [length, count] of lengths) merged.set(tokens(length), (merged.get(tokens(length)) ?? 0) + count)
  return [...merged.entries()].sort((a, b) => a[0] - b[0])
}

class Batches {
  paddedTokens = 0
  paddedSquaredTokens = 0
  batches = 0
  add(size: number, maxLength: number, times = 1): void {
    this.paddedTokens += times * size * maxLength
    this.paddedSquaredTokens += times * size * maxLength * maxLength
    this.batches += times
  }
}

/**
 * Descending lengths: the batch's first sequence is its longest, so its capacity (`capacityFor` that length: a token
 * budget's quotient, or a fixed count) is fixed when it opens.
 */
function longestFirst(tokens: LengthCounts, capacityFor: (length: number) => number, out: Batches): void {
  let open = 0
  let max = 0
  let capacity = 0
  for (let i = tokens.length - 1; i >= 0; i--) {
    const [length, count] = tokens[i]!
    let left = count
    while (left > 0) {
      if (open === 0) {
        max = length
        capacity = capacityFor(length)
        const full = Math.floor(left / capacity)
        if (full > 0) {
          out.add(capacity, length, full)
          left -= full * capacity
          continue
        }
      }
      const take = Math.min(left, capacity - open)
      open += take
      left -= take
      if (open === capacity) {
        out.add(open, max)
        open = 0
      }
    }
  }
  if (open > 0) out.add(open, max)
}

function shortestFirst(tokens: LengthCounts, budget: number, out: Batches): void {
  // Ascending: each added sequence is the batch's longest so far; the batch closes when (n+1)·length > budget.
  let open = 0
  let max = 0
  for (const [length, count] of tokens) {
    let left = count
    const capacity = Math.max(1, Math.floor(budget / length))
    while (left > 0) {
      if (open > 0 && open + 1 > capacity) {
        out.add(open, max)
        open = 0
        continue
      }
      if (open === 0) {
        const full = Math.floor(left / capacity)
        if (full > 0) {
          out.add(capacity, length, full)
          left -= full * capacity
          continue
        }
      }
      const take = Math.min(left, capacity - open)
      open += take
      max = length
      left -= take
    }
  }
  if (open > 0) out.add(open, max)
}

/** The work one embedding stage does on sequences of the given token counts under `policy`. */
export function batchWork(tokens: LengthCounts, policy: BatchPolicy): BatchWork {
  let sequences = 0
  let sum = 0
  let sumSquares = 0
  for (const [length, count] of tokens) {
    sequences += count
    sum += length * count
    sumSquares += length * length * count
  }
  const out = new Batches()
  switch (policy.kind) {
    case 'longest-first':
      longestFirst(tokens, (length) => Math.max(1, Math.floor(policy.budget / length)), out)
      break
    case 'shortest-first':
      shortestFirst(tokens, policy.budget, out)
      break
    case 'per-sequence':
      out.paddedTokens = sum
      out.paddedSquaredTokens = sumSquares
      out.batches = sequences
      break
    case 'fixed-count':
      longestFirst(tokens, () => policy.sequences, out)
      break
    case 'packed':
      out.paddedTokens = sum
      out.paddedSquaredTokens = sumSquares
      out.batches = Math.ceil(sum / policy.budget)
      break
  }
  return { sequences, tokens: sum, sumSquaredTokens: sumSquares, paddedTokens: out.paddedTokens, paddedSquaredTokens: out.paddedSquaredTokens, batches: out.batches }
}
