/**
 * Collects, line by line, what the pipeline's log claims about its optimisations and what else in the log bears on
 * those claims (fallback lines, per-batch token counts, model loads). Judging them is plugin/analysis/claims.ts.
 */

/** The first line of each kind, trimmed to its message, plus counts where a repeat matters. */
export interface ClaimEvidence {
  flashClaim: string | null
  flashUnavailable: string | null
  flashFallback: { first: string; count: number } | null
  standardAttention: string | null
  /** ESM-2 precision claims (`Model converted to FP16 precision`, `Features: FP16`, the reference's `Precision:`). */
  precisionClaim: string | null
  /** DNABERT-S's `BF16 mixed precision enabled`: nothing in the log or outputs can confirm it. */
  dnabertPrecisionClaim: string | null
  /** `dtype=float16` and the like, from the model's own description line. */
  modelDtype: string | null
  packingClaim: { text: string; percent: number } | null
  tokenBudget: number | null
  /** Tokens of each batch the log reports (`Batch N: wait=…, seqs=…, tokens=T`). */
  batchTokens: number[]
  persistentModels: { text: string; enabled: boolean } | null
  /** Model loads per model ('esm' | 'dnabert'), counted from `Loading … model` lines. */
  modelLoads: Record<string, number>
  architectureClaim: string | null
  /** `architecture: v2.0` of the ESM-2 stage's completion line. */
  esmArchitecture: string | null
}

export function emptyClaimEvidence(): ClaimEvidence {
  return {
    flashClaim: null,
    flashUnavailable: null,
    flashFallback: null,
    standardAttention: null,
    precisionClaim: null,
    dnabertPrecisionClaim: null,
    modelDtype: null,
    packingClaim: null,
    tokenBudget: null,
    batchTokens: [],
    persistentModels: null,
    modelLoads: {},
    architectureClaim: null,
    esmArchitecture: null,
  }
}

function message(line: string): string {
  const m = /- (?:DEBUG|INFO|WARNING|ERROR|CRITICAL) - (.*)$/.exec(line)
  return (m?.[1] ?? line).trim().slice(0, 200)
}

/** Beyond this many batches the token list stops growing: the mean of the first ones is the figure. */
const MAX_BATCHES = 10_000

export function addClaimLine(e: ClaimEvidence, line: string): void {
  if (/FlashAttention-2: enabled|attention=flash_attention_2|FlashAttention varlen|\+ FlashAttention\)/.test(line)) e.flashClaim ??= message(line)
  if (/flash-attn not available/.test(line)) e.flashUnavailable ??= message(line)
  if (/FlashAttention not available/.test(line)) {
    if (e.flashFallback === null) e.flashFallback = { first: message(line), count: 1 }
    else e.flashFallback.count++
  }
  if (/Using standard attention/.test(line)) e.standardAttention ??= message(line)
  if (/Model converted to (?:FP16|BF16) precision|Features: FP16|- INFO - +Precision: /.test(line)) e.precisionClaim ??= message(line)
  if (/BF16 mixed precision enabled/.test(line)) e.dnabertPrecisionClaim ??= message(line)
  const dtype = /dtype=(float16|bfloat16|float32)/.exec(line)
  if (dtype !== null) e.modelDtype ??= dtype[1] ?? null
  const pack = /([\d.]+)% pack eff/.exec(line)
  if (pack !== null && e.packingClaim === null) e.packingClaim = { text: message(line), percent: Number(pack[1]) }
  const budget = /(?:Dynamic token budget|Token budget): (\d+)/.exec(line)
  if (budget !== null) e.tokenBudget = Number(budget[1])
  const batch = /Batch \d+: wait=[\d.]+ms, seqs=\d+, tokens=(\d+)/.exec(line)
  if (batch !== null && e.batchTokens.length < MAX_BATCHES) e.batchTokens.push(Number(batch[1]))
  const persistent = /Persistent models: (enabled|disabled)/.exec(line)
  if (persistent !== null) e.persistentModels ??= { text: message(line), enabled: persistent[1] === 'enabled' }
  const loading = /Loading (ESM-2|DNABERT-S) model/.exec(line)
  if (loading !== null && !/already loaded/.test(line)) {
    const key = loading[1] === 'ESM-2' ? 'esm' : 'dnabert'
    e.modelLoads[key] = (e.modelLoads[key] ?? 0) + 1
  }
  const arch = /- INFO - Architecture: (.+)$/.exec(line)
  if (arch !== null) e.architectureClaim ??= (arch[1] ?? '').trim()
  const esmArch = /ESM-2 Feature Extraction completed in [\d.]+s \[.*architecture: ([^,\]]+)/.exec(line)
  if (esmArch !== null) e.esmArchitecture = (esmArch[1] ?? '').trim()
}
