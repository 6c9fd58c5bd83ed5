/**
 * Claims vs evidence: each optimisation the pipeline's log claims, next to what the harness saw, and a warning
 * finding for each contradiction. Pure: the evidence the log parser collected (plugin/metrics/claim-lines.ts) and,
 * when known, the dtype of the embeddings in the outputs come in.
 */
import type { ClaimEvidence } from '../metrics/claim-lines.ts'
import type { RunLogFinding } from '../model/run-result.ts'
import type { Claim } from '../model/run-evidence.ts'

export interface ClaimsInput {
  evidence: ClaimEvidence
  /** dtype of the ESM-2 embedding tensors the run wrote, when the harness read them (e.g. 'float32'). */
  esmOutputDtype?: string | null
}

export interface ClaimsResult {
  claims: Claim[]
  findings: RunLogFinding[]
}

function flashAttention(e: ClaimEvidence): Claim | null {
  if (e.flashClaim === null) return null
  const against = [e.flashUnavailable, e.flashFallback === null ? null : `${e.flashFallback.first} (×${e.flashFallback.count})`, e.standardAttention].filter((x): x is string => x !== null)
  return {
    topic: 'flash-attention',
    claimed: e.flashClaim,
    observed: against.length > 0 ? against.join('; ') : null,
    status: against.length > 0 ? 'contradicted' : 'unverified',
    basis: against.length > 0 ? 'the same log says the flash-attn package is missing or the attention fell back' : 'no fallback line in the log; the kernel used is not observable from outside',
  }
}

/** DNABERT-S logs no dtype of its own, so its reduced-precision claim stays unverified. */
function dnabertPrecision(e: ClaimEvidence): Claim | null {
  if (e.dnabertPrecisionClaim === null) return null
  return { topic: 'precision', claimed: e.dnabertPrecisionClaim, observed: null, status: 'unverified', basis: 'DNABERT-S logs no dtype and writes float32 embeddings either way' }
}

function precision(e: ClaimEvidence, esmOutputDtype: string | null): Claim | null {
  if (e.precisionClaim === null) return null
  const half = /FP16|BF16|bf16|fp16|float16|bfloat16/.test(e.precisionClaim)
  const observed: string[] = []
  if (e.modelDtype !== null) observed.push(`the ESM-2 model reports dtype=${e.modelDtype}`)
  if (esmOutputDtype !== null) observed.push(`ESM-2 embeddings written as ${esmOutputDtype} (the tool converts to float32 on output, so this neither proves nor disproves the compute precision)`)
  const contradicted = half && e.modelDtype === 'float32'
  return {
    topic: 'precision',
    claimed: e.precisionClaim,
    observed: observed.length > 0 ? observed.join('; ') : null,
    status: contradicted ? 'contradicted' : e.modelDtype !== null ? 'consistent' : 'unverified',
    basis: e.modelDtype !== null ? "the model's own description line (`dtype=…`)" : 'no dtype line in the log',
  }
}

/**
 * The tool's `pack eff` divides by a default 4,096-token budget instead of the real one (contract §3.1), so figures
 * over 100 % are impossible on their face; the harness recomputes the share from the logged batch sizes.
 */
function packing(e: ClaimEvidence): Claim | null {
  if (e.packingClaim === null) return null
  const batches = e.batchTokens
  if (e.tokenBudget === null || batches.length === 0) {
    return { topic: 'packing', claimed: e.packingClaim.text, observed: null, status: 'unverified', basis: 'no token budget or per-batch token counts in the log' }
  }
  const mean = batches.reduce((a, b) => a + b, 0) / batches.length
  const share = (100 * mean) / e.tokenBudget
  const wrong = Math.abs(share - e.packingClaim.percent) > 5
  return {
    topic: 'packing',
    claimed: `${e.packingClaim.percent}% pack eff`,
    observed: `recomputed ${share.toFixed(1)} % of the ${e.tokenBudget.toLocaleString('en-US')}-token budget (mean ${Math.round(mean).toLocaleString('en-US')} tokens over ${batches.length} logged batches)`,
    status: wrong ? 'contradicted' : 'consistent',
    basis: '`Batch N: … tokens=T` lines ÷ `Dynamic token budget`',
  }
}

function persistentModels(e: ClaimEvidence): Claim | null {
  if (e.persistentModels === null) return null
  const loads = Object.entries(e.modelLoads).map(([model, n]) => `${model === 'esm' ? 'ESM-2' : 'DNABERT-S'} loaded ${n}×`)
  const reloaded = Object.values(e.modelLoads).some((n) => n > 1)
  return {
    topic: 'persistent-models',
    claimed: e.persistentModels.text,
    observed: loads.length > 0 ? loads.join(', ') : null,
    status: loads.length === 0 ? 'unverified' : e.persistentModels.enabled && reloaded ? 'contradicted' : 'consistent',
    basis: '`Loading … model` lines counted per model',
  }
}

function architecture(e: ClaimEvidence): Claim | null {
  if (e.architectureClaim === null) return null
  const claimedV2 = /v2/.test(e.architectureClaim)
  const observed = e.esmArchitecture
  const contradicted = observed !== null && claimedV2 !== /v2/.test(observed)
  return {
    topic: 'architecture',
    claimed: `Architecture: ${e.architectureClaim}`,
    observed: observed === null ? null : `ESM-2 stage completed with architecture: ${observed}`,
    status: observed === null ? 'unverified' : contradicted ? 'contradicted' : 'consistent',
    basis: "the ESM-2 stage's completion line",
  }
}

export function judgeClaims(input: ClaimsInput): ClaimsResult {
  const e = input.evidence
  const claims = [flashAttention(e), precision(e, input.esmOutputDtype ?? null), dnabertPrecision(e), packing(e), persistentModels(e), architecture(e)].filter((c): c is Claim => c !== null)
  const findings: RunLogFinding[] = claims
    .filter((c) => c.status === 'contradicted')
    .map((c) => ({ severity: 'warning' as const, code: `${c.topic}-claim-contradicted`, message: `the log claims "${c.claimed}" but ${c.observed ?? 'the evidence disagrees'} (${c.basis})`, count: 1, stage: null, firstLine: null, workers: [] }))
  return { claims, findings }
}
