// The v1-vs-v2 validation of the real tool on one H200 (shared/captures/virnucpro-h200-2026-12-01): its stored
// tensor figures and both runs' prediction tables, decided again under the documented cosine rule (options.ts).
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readConsensusTable, readPredictionTable } from '../../io/tsv/predictions.ts'
import { ComparisonSchema } from '../../model/validation.ts'
import { compareConsensus } from './consensus-stats.ts'
import { chunkIdOf } from './ids.ts'
import { divergentVectors, withConsensus, withPredictions } from './downstream.ts'
import { comparisonOptions, type ComparisonOptionsInput } from './options.ts'
import { comparePredictions } from './prediction-stats.ts'
import { decideVerdict } from './verdict.ts'

const CAPTURE = fileURLToPath(new URL('../../../shared/captures/virnucpro-h200-2026-12-01/', import.meta.url))
const CASE = `${CAPTURE}cases/reference-equivalence-test-ts--small-sample-optimised-vs-a-fresh-vanilla-run.json`
const merged = (run: string): string => `${CAPTURE}runs/${run}/out/synth-small-fixed500-s42_merged/`
const V1 = merged('2026-12-01T08-59-50-000Z-synth-small-fixed500-s42-vanilla-1gpu-a02493')
const V2 = merged('2026-12-01T09-00-47-365Z-synth-small-fixed500-s42-optimised-1gpu-79710b')

async function decide(overrides: ComparisonOptionsInput = {}) {
  const stored = ComparisonSchema.parse((JSON.parse(readFileSync(CASE, 'utf8')) as { comparisons: unknown[] }).comparisons[0])
  const options = comparisonOptions(overrides)
  const [candPred, refPred] = await Promise.all([readPredictionTable(`${V2}prediction_results.txt`), readPredictionTable(`${V1}prediction_results.txt`)])
  const [candCons, refCons] = await Promise.all([readConsensusTable(`${V2}prediction_results_highestscore.csv`), readConsensusTable(`${V1}prediction_results_highestscore.csv`)])
  const predictions = comparePredictions(candPred, refPred, options.scoreAtol, chunkIdOf)
  const consensus = compareConsensus(candCons, refCons, predictions.borderlineChunks)
  const downstream = withConsensus(withPredictions(divergentVectors(stored.tensors, options.minCosine), candPred, refPred), candCons, refCons)
  return { stored, downstream, verdict: decideVerdict({ tensors: stored.tensors, predictions, consensus, integrity: [], options, downstream }) }
}

describe.skipIf(!existsSync(CASE))('the real tool, v2 path against its v1 path (100 × 500 bp, both FP16)', () => {
  it('was a fail under "every vector ≥ 0.999"', async () => {
    const { stored, verdict } = await decide({ minCosineSharePercent: 100 })
    expect(stored.verdict).toBe('fail')
    expect(verdict.verdict).toBe('fail')
  })

  it('is numerical variance under the contract §6.6 rule (≥ 0.999 for 95 % of vectors, ≥ 0.99 for all)', async () => {
    const { verdict } = await decide()
    expect(verdict.verdict).toBe('warn')
    expect(verdict.firstDivergingStage).toBe('esm')
    expect(verdict.findings.find((f) => f.code === 'numerical-variance')?.message).toMatch(/cosine ≥ 0.999 for ≥ 95 % of vectors and ≥ 0.99 for all/)
  })

  it('names the one vector, its cosine, and that no label or consensus changed', async () => {
    const { verdict, downstream } = await decide()
    const esm = downstream.find((d) => d.stage === 'esm')
    expect(esm).toMatchObject({ id: 'synth_42_000088_chunk_1F2', labelChanged: false, consensusChanged: false, chunk: 'synth_42_000088_chunk_1' })
    expect(esm?.cosine).toBeCloseTo(0.998902, 6)
    expect(esm?.scoreDelta).toBeLessThanOrEqual(0.0079)
    const messages = verdict.findings.filter((f) => f.code === 'divergent-vectors').map((f) => f.message)
    expect(messages[0]).toMatch(/^ESM-2: 1 of 95 vectors \(1\.05 %\) below cosine 0\.999, min 0\.998902: synth_42_000088_chunk_1F2 \(cosine 0\.998902\): label unchanged \(\w+\), \|Δscore\| [\d.e-]+, consensus of synth_42_000088_chunk_1 unchanged$/)
    // The merged vector is the same frame: not named twice.
    expect(messages).toHaveLength(2)
    expect(messages[1]).toBe('downstream: 0 label change(s) of 95 frames, max |Δscore| 0.007885; 0 consensus change(s) of 95 chunks: no label or consensus changed')
  })

  it('fails a vector below the 0.99 floor whatever the share', async () => {
    const { verdict } = await decide({ minCosineFloor: 0.9995 })
    expect(verdict.verdict).toBe('fail')
    expect(verdict.findings.find((f) => f.code === 'tolerance')?.message).toMatch(/below the floor 0.9995/)
  })
})
