// The real VirNucPro as the harness saw it on one H200 (shared/captures/virnucpro-h200-2026-12-01): the kept run
// folders are replayed through today's log, phase, claim and efficiency code.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { embeddingShapes, runEfficiency } from '../analysis/run-efficiency.ts'
import { CalibrationSchema } from '../model/efficiency.ts'
import type { StageTiming } from '../model/run-result.ts'
import { replayRunFolder } from './replay-run.ts'

const CAPTURE = fileURLToPath(new URL('../../../shared/captures/virnucpro-h200-2026-12-01/runs/', import.meta.url))
const LARGE = `${CAPTURE}2026-12-01T08-56-56-507Z-synth-large-fixed500-s42-optimised-1gpu-5176bd`
const SMALL_V1 = `${CAPTURE}2026-12-01T08-59-50-000Z-synth-small-fixed500-s42-vanilla-1gpu-a02493`
const SMALL_V2 = `${CAPTURE}2026-12-01T09-00-47-365Z-synth-small-fixed500-s42-optimised-1gpu-79710b`
const CALIBRATION = `${CAPTURE}calibration-nvidia-h200-5afadd2d17cf5ed0.json`

const seconds = (stage: StageTiming | undefined, name: string): number => stage?.phases.find((p) => p.name === name)?.seconds ?? Number.NaN

describe.skipIf(!existsSync(LARGE))('the real tool on the large synthetic sample (10,000 × 500 bp, v2 path, one H200)', () => {
  // Read in beforeAll, not in the describe body: Vitest runs a skipped suite's body too (to collect its tests), and a
  // clone without shared/ beside it must skip this file, not fail it.
  let run: Awaited<ReturnType<typeof replayRunFolder>>['run']
  let esm: StageTiming | undefined
  let dnabert: StageTiming | undefined
  beforeAll(async () => {
    run = (await replayRunFolder(LARGE)).run
    esm = run.stages.find((s) => s.stage === 'PROTEIN_FEATURES')
    dnabert = run.stages.find((s) => s.stage === 'NUCLEOTIDE_FEATURES')
  })

  it('splits the 102 s ESM-2 stage into the phases its worker log gives', () => {
    expect(esm?.durationSeconds).toBeCloseTo(101.96, 2)
    expect(esm?.phases.map((p) => [p.name, p.basis])).toEqual([
      ['startup', 'logged'],
      ['model-load', 'logged'],
      ['waiting', 'logged'],
      ['inference', 'logged'],
      ['teardown', 'logged'],
    ])
    // Start-up (spawn, index) + model load, with the ~2 s move to the GPU and FP16 conversion on the load side:
    // the load ends at `ESM-2 ready`, not at `Model loaded`.
    expect(seconds(esm, 'startup') + seconds(esm, 'model-load')).toBeGreaterThanOrEqual(36)
    expect(seconds(esm, 'startup') + seconds(esm, 'model-load')).toBeLessThanOrEqual(38.5)
    expect(esm?.phases.find((p) => p.name === 'model-load')?.note).toMatch(/→ `ESM-2 ready/)
    expect(seconds(esm, 'waiting')).toBeGreaterThanOrEqual(16.4)
    expect(seconds(esm, 'waiting')).toBeLessThanOrEqual(18.6)
    expect(seconds(esm, 'inference')).toBeCloseTo(41.9, 0)
    expect(seconds(esm, 'teardown')).toBeCloseTo(5.5, 0)
    const total = esm?.phases.reduce((t, p) => t + p.seconds, 0) ?? 0
    expect(total).toBeCloseTo(esm?.durationSeconds ?? 0, 3)
  })

  it('splits DNABERT-S from the GPU samples, since its model load is not logged', () => {
    expect(dnabert?.phases.map((p) => p.name)).toEqual(['model-load', 'inference', 'teardown'])
    expect(dnabert?.phases.every((p) => p.basis === 'sampled at 500 ms')).toBe(true)
    // About 10 s at 0 % before the first batch (contract §8): here 12.8 s to the first sample ≥ 10 %.
    expect(seconds(dnabert, 'model-load')).toBeGreaterThan(9)
    expect(seconds(dnabert, 'model-load')).toBeLessThan(14)
  })

  it('measures ESM-2 efficiency over the inference phase, not over stage − model load', () => {
    const calibration = CalibrationSchema.parse(JSON.parse(readFileSync(CALIBRATION, 'utf8')))
    const rows = runEfficiency(run, embeddingShapes(run.target, null), calibration)
    const row = rows.find((r) => r.stage === 'PROTEIN_FEATURES')
    expect(row?.seconds.inference).toBeCloseTo(41.93, 1)
    expect(row?.seconds.inferenceSource).toBe('inference phase (logged)')
    expect(row?.basis.time).toMatch(/inference = the stage's inference phase, 41\.9\d s \(logged\)/)
    // Issue 14: about 215 TFLOP/s, 28 % of the FP16 ceiling (was 128 TFLOP/s = 17 % over stage − load).
    expect(row?.achievedTflops.overInference).toBeGreaterThan(205)
    expect(row?.achievedTflops.overInference).toBeLessThan(225)
    expect(row?.ratios.calibrated?.overInference).toBeGreaterThan(0.27)
    expect(row?.ratios.calibrated?.overInference).toBeLessThan(0.3)
    expect(row?.ceilings.calibrated?.precision).toBe('fp16')
  })

  it('lists the claims with what the log shows, and warns on the FlashAttention and packing contradictions', () => {
    const byTopic = Object.fromEntries(run.claims.map((c) => [c.topic, c]))
    expect(byTopic['flash-attention']?.status).toBe('contradicted')
    expect(byTopic['flash-attention']?.observed).toMatch(/FlashAttention not available\. Using fallback .*\(×100\)/)
    expect(byTopic.packing).toMatchObject({ claimed: '397.9% pack eff', status: 'contradicted' })
    expect(byTopic.packing?.observed).toMatch(/^recomputed 9\d\.\d % of the 16,384-token budget/)
    expect(byTopic.architecture?.status).toBe('consistent')
    expect(run.logFindings.map((f) => f.code)).toEqual(expect.arrayContaining(['flash-attention-fallback', 'flash-attention-claim-contradicted']))
  })

  it('records the effective model and chunk length, and the tool’s own bottleneck ranking', () => {
    expect(run.effectiveConfig).toMatchObject({ model: '500_model.pth', chunkLength: 500 })
    expect(run.toolBottlenecks[0]).toEqual({ stage: 'ESM-2 Feature Extraction', percent: 69 })
  })
})

describe.skipIf(!existsSync(SMALL_V1))('the real tool on the small sample: v1 path vs v2 path', () => {
  it('flags the v1 path logging `flash-attn not available` and then `FlashAttention-2: enabled`', async () => {
    const { run } = await replayRunFolder(SMALL_V1)
    const flash = run.claims.find((c) => c.topic === 'flash-attention')
    expect(flash?.claimed).toMatch(/^FlashAttention-2: enabled/)
    expect(flash?.observed).toMatch(/^flash-attn not available/)
    const finding = run.logFindings.find((f) => f.code === 'flash-attention-claim-contradicted')
    expect(finding?.severity).toBe('warning')
    // The v1 path has no per-batch fallback line, so only the contradiction catches it.
    expect(run.logFindings.map((f) => f.code)).not.toContain('flash-attention-fallback')
  })

  it('flags the v2 fallback on the small sample too', async () => {
    const { run } = await replayRunFolder(SMALL_V2)
    expect(run.logFindings.map((f) => f.code)).toEqual(expect.arrayContaining(['flash-attention-fallback', 'flash-attention-claim-contradicted']))
  })
})
