/**
 * Model FLOPs of a transformer encoder's forward pass. Pure: no I/O.
 *
 * For sequences of ℓ_i tokens, with L layers, hidden size d, FFN size f:
 *
 *   FLOPs = 2·L·(4·d² + m·d·f)·Σℓ  +  4·L·d·Σℓ²
 *
 * - first term: the weight matmuls, 2 FLOP per multiply-add per weight per token: Q, K, V and output projections
 *   (4·d²) and the FFN (m·d·f with m = 2 for a plain d→f→d FFN, m = 3 for a gated/GLU FFN whose first projection is
 *   d→2f, as in DNABERT-2/DNABERT-S);
 * - second term: attention scores QKᵀ (2·ℓ²·d per layer) and the weighted sum AV (2·ℓ²·d per layer);
 * - excluded: token/position embeddings, the LM head (never run for embeddings), biases, layer norms, softmax,
 *   activations and rotary/ALiBi terms (all O(ℓ·d), under 1 % here), and padding: these are *model* FLOPs, the
 *   useful work, so padded or recomputed tokens count as waste, not as work.
 */
import { z } from 'zod'

export const TransformerShapeSchema = z.object({
  name: z.string().min(1),
  layers: z.number().int().positive(),
  hidden: z.number().int().positive(),
  ffn: z.number().int().positive(),
  /** Informational: the FLOP count does not depend on the head count. */
  heads: z.number().int().positive().nullable(),
  /** GLU FFN (d→2f, gate, f→d): 3·d·f weights per layer instead of 2·d·f. */
  gatedFfn: z.boolean(),
})
export type TransformerShape = z.infer<typeof TransformerShapeSchema>

/** DNABERT-S = DNABERT-2-117M architecture (MosaicBERT, BertGatedLinearUnitMLP): 113 M matmul weights + 3 M embeddings = 117 M; a plain FFN would give 85 M. */
export const DNABERT_S: TransformerShape = { name: 'DNABERT-S', layers: 12, hidden: 768, ffn: 3072, heads: 12, gatedFfn: true }
/** esm2_t36_3B_UR50D. */
export const ESM2_3B: TransformerShape = { name: 'ESM-2 3B', layers: 36, hidden: 2560, ffn: 10240, heads: 40, gatedFfn: false }
/** esm2_t33_650M_UR50D (the FastESM2-650M branches use this shape). */
export const ESM2_650M: TransformerShape = { name: 'ESM-2 650M', layers: 33, hidden: 1280, ffn: 5120, heads: 20, gatedFfn: false }

/**
 * The reference pipeline's shapes (fixtures/reference-pipeline/virnucpro_ref/models.py, `SHAPES`). Its encoders
 * use a plain fc1/fc2 FFN, so its "full" DNABERT stand-in is *not* DNABERT-S: same L/d/f, no gate (85 M matmul weights,
 * not 113 M). The tiny models' pooled-output projection (out_dim × hidden, once per sequence) is excluded like a head.
 */
export const REFERENCE_TINY_DNABERT: TransformerShape = { name: 'reference tiny DNABERT', layers: 2, hidden: 128, ffn: 256, heads: 4, gatedFfn: false }
export const REFERENCE_TINY_ESM: TransformerShape = { name: 'reference tiny ESM', layers: 2, hidden: 160, ffn: 320, heads: 4, gatedFfn: false }
export const REFERENCE_FULL_DNABERT: TransformerShape = { name: 'reference full DNABERT', layers: 12, hidden: 768, ffn: 3072, heads: 12, gatedFfn: false }
/** The reference pipeline's full ESM is the ESM-2 3B shape. */
export const REFERENCE_FULL_ESM: TransformerShape = { ...ESM2_3B, name: 'reference full ESM (ESM-2 3B shape)' }

export const SHAPE_PRESETS = {
  'dnabert-s': DNABERT_S,
  'esm2-3b': ESM2_3B,
  'esm2-650m': ESM2_650M,
  'reference-tiny-dnabert': REFERENCE_TINY_DNABERT,
  'reference-tiny-esm': REFERENCE_TINY_ESM,
  'reference-full-dnabert': REFERENCE_FULL_DNABERT,
  'reference-full-esm': REFERENCE_FULL_ESM,
} as const satisfies Record<string, TransformerShape>
export type ShapePresetName = keyof typeof SHAPE_PRESETS

/** A named preset; throws naming the known presets when the name is unknown. */
export function shapePreset(name: string): TransformerShape {
  if (!Object.hasOwn(SHAPE_PRESETS, name)) throw new Error(`shapePreset: unknown model shape "${name}"; known: ${Object.keys(SHAPE_PRESETS).join(', ')}`)
  return SHAPE_PRESETS[name as ShapePresetName]
}

/** Validate a user-configured shape, naming the bad field. */
export function transformerShape(input: unknown): TransformerShape {
  const parsed = TransformerShapeSchema.safeParse(input)
  if (!parsed.success) throw new Error(`transformerShape: invalid shape ${JSON.stringify(input)}: ${z.prettifyError(parsed.error)}`)
  return parsed.data
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens

/**
 * Tokenisers, as tokens per input sequence:
 * - `dnabert-reference`: the reference pipeline's DNABERT stand-in, ⌈len/4⌉ + 2: non-overlapping 4-mers, a
 *   3/2/1-mer for the tail (its vocabulary, models.py `DNA_VOCAB`), CLS and SEP. TODO(lead): confirm against
 *   virnucpro_ref's tokenizer once it is written (it was not when this was);
 * - `dnabert-bpe`: real DNABERT-S BPE, about ⌊len/6⌋ + 2 (the contract's `len//6+2` estimate; real BPE varies);
 * - `esm`: one token per residue + BOS/EOS, truncated to 1024 tokens (1022 residues).
 */
export const TOKENIZERS = ['dnabert-reference', 'dnabert-bpe', 'esm'] as const
export type Tokenizer = (typeof TOKENIZERS)[number]

export const ESM_MAX_TOKENS = 1024

export function tokensPerSequence(tokenizer: Tokenizer, length: number): number {
  if (!Number.isInteger(length) || length < 0) throw new Error(`tokensPerSequence: length must be a non-negative integer, got ${length}`)
  switch (tokenizer) {
    case 'dnabert-reference':
      return Math.ceil(length / 4) + 2
    case 'dnabert-bpe':
      return Math.floor(length / 6) + 2
    case 'esm':
      return Math.min(length + 2, ESM_MAX_TOKENS)
  }
}

const TOKENIZER_RULES: Record<Tokenizer, string> = {
  'dnabert-reference': '⌈len/4⌉+2 tokens per sequence (reference pipeline DNABERT stand-in)',
  'dnabert-bpe': '⌊len/6⌋+2 tokens per sequence (DNABERT-S BPE estimate)',
  esm: `residues+2 tokens per sequence (BOS/EOS), truncated to ${ESM_MAX_TOKENS}`,
}

export interface TokenStats {
  sequences: number
  /** Σℓ */
  sumTokens: number
  /** Σℓ² (drives the attention term) */
  sumSquaredTokens: number
  /** False when Σℓ² is approximated. */
  exact: boolean
  /** How the numbers were obtained, for `method`/`basis` strings. */
  description: string
}

/** Exact Σℓ and Σℓ² from per-sequence token counts. */
export function tokenStatsFromLengths(tokenLengths: readonly number[]): TokenStats {
  let sum = 0
  let sumSquares = 0
  tokenLengths.forEach((length, i) => {
    if (!Number.isInteger(length) || length < 0) throw new Error(`tokenStatsFromLengths: token length #${i} must be a non-negative integer, got ${length}`)
    sum += length
    sumSquares += length * length
  })
  return {
    sequences: tokenLengths.length,
    sumTokens: sum,
    sumSquaredTokens: sumSquares,
    exact: true,
    description: `Σℓ=${fmt(sum)}, Σℓ²=${fmt(sumSquares)} exact from ${fmt(tokenLengths.length)} per-sequence token lengths`,
  }
}

/** Exact token statistics from raw sequence lengths (bp or residues) through a tokeniser rule. */
export function tokenStatsForSequences(tokenizer: Tokenizer, sequenceLengths: readonly number[]): TokenStats {
  const stats = tokenStatsFromLengths(sequenceLengths.map((length) => tokensPerSequence(tokenizer, length)))
  return { ...stats, description: `${stats.description}, ${TOKENIZER_RULES[tokenizer]}` }
}

/**
 * Approximate statistics when only the token total and the sequence count are known (e.g. the log's
 * `Index: N sequences, T tokens`): Σℓ² ≈ n·(Σℓ/n)². Exact for equal lengths; otherwise a lower bound
 * (Cauchy–Schwarz), so the attention term, and with it achieved FLOP/s, is under- rather than over-stated.
 */
export function tokenStatsFromTotals(totalTokens: number, sequences: number): TokenStats {
  if (!(Number.isFinite(totalTokens) && totalTokens >= 0)) throw new Error(`tokenStatsFromTotals: totalTokens must be a finite number ≥ 0, got ${totalTokens}`)
  if (!(Number.isInteger(sequences) && sequences >= 0)) throw new Error(`tokenStatsFromTotals: sequences must be a non-negative integer, got ${sequences}`)
  if (sequences === 0 && totalTokens > 0) throw new Error(`tokenStatsFromTotals: ${totalTokens} tokens over 0 sequences`)
  const mean = sequences === 0 ? 0 : totalTokens / sequences
  return {
    sequences,
    sumTokens: totalTokens,
    sumSquaredTokens: sequences * mean * mean,
    exact: false,
    description:
      `Σℓ=${fmt(totalTokens)} over ${fmt(sequences)} sequences; Σℓ² approximated as n·(mean ℓ)² with mean ℓ=${mean.toFixed(1)} ` +
      '(exact for equal lengths, a lower bound otherwise, so attention FLOPs may be understated)',
  }
}

/** Approximate statistics from a sequence count and a mean raw length (bp or residues) through a tokeniser rule. */
export function tokenStatsFromMeanLength(tokenizer: Tokenizer, sequences: number, meanLength: number): TokenStats {
  if (!(Number.isFinite(meanLength) && meanLength >= 0)) throw new Error(`tokenStatsFromMeanLength: meanLength must be a finite number ≥ 0, got ${meanLength}`)
  const perSequence = tokensPerSequence(tokenizer, Math.round(meanLength))
  const stats = tokenStatsFromTotals(perSequence * sequences, sequences)
  return { ...stats, description: `${stats.description}; ℓ from mean length ${meanLength} via ${TOKENIZER_RULES[tokenizer]}` }
}

// ---------------------------------------------------------------------------------------------------------------
// FLOPs

export const FLOPS_FORMULA =
  'FLOPs = 2·L·(4·d² + m·d·f)·Σℓ + 4·L·d·Σℓ² (m = 2 plain FFN, 3 gated FFN; Q/K/V/output projections, FFN, QKᵀ and AV; ' +
  'embeddings, LM head, biases, norms, softmax, activations and padding excluded)'

export interface ForwardFlops {
  total: number
  /** 2·L·(4d² + m·d·f)·Σℓ */
  linear: number
  /** 4·L·d·Σℓ² */
  attention: number
  /** 2·L·(4d² + m·d·f): linear FLOPs per token, i.e. 2 × the weight-matmul parameters. */
  linearPerToken: number
  method: string
}

/** Weights in the matmuls of all layers: L·(4d² + m·d·f). */
export function matmulParameters(shape: TransformerShape): number {
  const m = shape.gatedFfn ? 3 : 2
  return shape.layers * (4 * shape.hidden * shape.hidden + m * shape.hidden * shape.ffn)
}

/** Model FLOPs of one forward pass over the sequences summarised by `tokens`. */
export function forwardFlops(shape: TransformerShape, tokens: TokenStats): ForwardFlops {
  const linearPerToken = 2 * matmulParameters(shape)
  const linear = linearPerToken * tokens.sumTokens
  const attention = 4 * shape.layers * shape.hidden * tokens.sumSquaredTokens
  const m = shape.gatedFfn ? 3 : 2
  return {
    total: linear + attention,
    linear,
    attention,
    linearPerToken,
    method:
      `forward model FLOPs of ${shape.name} = 2·L·(4·d² + ${m}·d·f)·Σℓ + 4·L·d·Σℓ² with L=${shape.layers}, d=${shape.hidden}, f=${shape.ffn}` +
      `${shape.gatedFfn ? ' (gated FFN)' : ''}: ${sci(linear)} linear + ${sci(attention)} attention = ${sci(linear + attention)}; ` +
      `embeddings, LM head, biases, norms, softmax, activations and padding excluded; ${tokens.description}`,
  }
}

function fmt(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1)
}

function sci(value: number): string {
  return value.toExponential(3)
}
