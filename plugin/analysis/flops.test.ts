import { describe, expect, it } from 'vitest'
import {
  DNABERT_S,
  ESM2_3B,
  ESM_MAX_TOKENS,
  FLOPS_FORMULA,
  forwardFlops,
  matmulParameters,
  shapePreset,
  tokensPerSequence,
  tokenStatsForSequences,
  tokenStatsFromLengths,
  tokenStatsFromMeanLength,
  tokenStatsFromTotals,
  type TransformerShape,
  transformerShape,
} from './flops.ts'

const TINY: TransformerShape = { name: 'tiny', layers: 2, hidden: 4, ffn: 8, heads: 2, gatedFfn: false }

/** Every matmul of one layer for one sequence of ℓ tokens, written out: the test's independent count. */
function handCountPerSequence(shape: TransformerShape, l: number): number {
  const { hidden: d, ffn: f } = shape
  const projections = 4 * (2 * l * d * d) // Q, K, V, O: [ℓ×d]·[d×d]
  const scores = 2 * l * l * d // QKᵀ: [ℓ×d]·[d×ℓ]
  const weighted = 2 * l * l * d // AV: [ℓ×ℓ]·[ℓ×d]
  const ffnUp = 2 * l * d * (shape.gatedFfn ? 2 * f : f)
  const ffnDown = 2 * l * f * d
  return shape.layers * (projections + scores + weighted + ffnUp + ffnDown)
}

describe('forwardFlops', () => {
  it('counts a tiny plain shape by hand: lengths 3 and 5', () => {
    // matmul weights 2·(4·16 + 2·4·8) = 256 → 512 FLOP per token; Σℓ = 8, Σℓ² = 34
    const flops = forwardFlops(TINY, tokenStatsFromLengths([3, 5]))
    expect(flops.linearPerToken).toBe(512)
    expect(flops.linear).toBe(4096)
    expect(flops.attention).toBe(4 * 2 * 4 * 34) // 1088
    expect(flops.total).toBe(5184)
    expect(flops.total).toBe(handCountPerSequence(TINY, 3) + handCountPerSequence(TINY, 5))
  })

  it('counts a gated FFN as three d×f matrices', () => {
    const gated = { ...TINY, gatedFfn: true }
    const flops = forwardFlops(gated, tokenStatsFromLengths([3, 5]))
    expect(flops.linearPerToken).toBe(2 * 2 * (4 * 16 + 3 * 4 * 8)) // 640
    expect(flops.total).toBe(640 * 8 + 1088)
    expect(flops.total).toBe(handCountPerSequence(gated, 3) + handCountPerSequence(gated, 5))
  })

  it('gives the published parameter counts of the presets (matmul weights only)', () => {
    expect(matmulParameters(DNABERT_S)).toBe(113_246_208) // + 3.1 M embeddings ≈ DNABERT-2-117M
    expect(matmulParameters(ESM2_3B)).toBe(2_831_155_200) // ≈ 2.8 B
  })

  it('states the formula, the shape and the token basis in its method', () => {
    const flops = forwardFlops(ESM2_3B, tokenStatsFromTotals(1000, 10))
    expect(flops.method).toContain('2·L·(4·d² + 2·d·f)·Σℓ + 4·L·d·Σℓ²')
    expect(flops.method).toContain('L=36, d=2560, f=10240')
    expect(flops.method).toContain('approximated')
    expect(FLOPS_FORMULA).toContain('embeddings, LM head')
  })

  it('is zero for no sequences', () => {
    expect(forwardFlops(DNABERT_S, tokenStatsFromLengths([])).total).toBe(0)
  })
})

describe('tokens', () => {
  it('follows each tokeniser rule, with ESM truncated at 1024', () => {
    expect(tokensPerSequence('dnabert-reference', 500)).toBe(127)
    expect(tokensPerSequence('dnabert-reference', 501)).toBe(128) // the tail base is a 1-mer token
    expect(tokensPerSequence('dnabert-bpe', 500)).toBe(85)
    expect(tokensPerSequence('esm', 166)).toBe(168)
    expect(tokensPerSequence('esm', 1022)).toBe(ESM_MAX_TOKENS)
    expect(tokensPerSequence('esm', 5000)).toBe(ESM_MAX_TOKENS)
    expect(() => tokensPerSequence('esm', 1.5)).toThrow(/length must be a non-negative integer, got 1.5/)
  })

  it('sums exactly from sequence lengths', () => {
    const stats = tokenStatsForSequences('esm', [1, 2, 2000])
    expect(stats).toMatchObject({ sequences: 3, sumTokens: 3 + 4 + 1024, sumSquaredTokens: 9 + 16 + 1024 * 1024, exact: true })
    expect(stats.description).toContain('truncated to 1024')
  })

  it('approximates Σℓ² as n·mean² from totals, equal to exact for equal lengths and below it otherwise', () => {
    const approx = tokenStatsFromTotals(8, 2)
    expect(approx).toMatchObject({ sumTokens: 8, sumSquaredTokens: 32, exact: false })
    expect(tokenStatsFromLengths([4, 4]).sumSquaredTokens).toBe(32)
    expect(tokenStatsFromLengths([3, 5]).sumSquaredTokens).toBeGreaterThan(approx.sumSquaredTokens)
    expect(approx.description).toMatch(/lower bound/)
  })

  it('approximates from a mean raw length through the tokeniser', () => {
    const stats = tokenStatsFromMeanLength('esm', 8077, 166)
    expect(stats).toMatchObject({ sequences: 8077, sumTokens: 8077 * 168, sumSquaredTokens: 8077 * 168 * 168, exact: false })
    expect(stats.description).toContain('mean length 166')
  })

  it('rejects bad inputs, naming them', () => {
    expect(() => tokenStatsFromLengths([3, -1])).toThrow(/token length #1 must be a non-negative integer, got -1/)
    expect(() => tokenStatsFromTotals(10, 0)).toThrow(/10 tokens over 0 sequences/)
    expect(() => tokenStatsFromTotals(Number.NaN, 3)).toThrow(/totalTokens/)
    expect(() => tokenStatsFromMeanLength('esm', 3, -2)).toThrow(/meanLength/)
  })
})

describe('shapes', () => {
  it('looks up presets and explains unknown ones', () => {
    expect(shapePreset('esm2-3b')).toBe(ESM2_3B)
    expect(shapePreset('reference-tiny-esm')).toMatchObject({ layers: 2, hidden: 160, ffn: 320, gatedFfn: false })
    expect(() => shapePreset('esm3')).toThrow(/unknown model shape "esm3"; known: dnabert-s, esm2-3b/)
    expect(() => shapePreset('toString')).toThrow(/unknown model shape/)
  })

  it("keeps the reference pipeline's plain-FFN DNABERT apart from the gated DNABERT-S", () => {
    expect(matmulParameters(shapePreset('reference-full-dnabert'))).toBe(12 * (4 * 768 * 768 + 2 * 768 * 3072)) // 84,934,656
    expect(matmulParameters(shapePreset('reference-full-esm'))).toBe(matmulParameters(ESM2_3B))
    // reference tiny DNABERT: 2·(4·128² + 2·128·256) = 262,144 weights → 524,288 FLOP per token
    expect(forwardFlops(shapePreset('reference-tiny-dnabert'), tokenStatsFromLengths([127])).linearPerToken).toBe(524_288)
  })

  it('validates configured shapes, naming the bad field', () => {
    expect(transformerShape({ ...TINY })).toEqual(TINY)
    expect(() => transformerShape({ ...TINY, hidden: 0 })).toThrow(/hidden/)
  })
})
