import { describe, expect, it } from 'vitest'
import type { Calibrated, Calibration } from '../model/efficiency.ts'
import { type StageEfficiencyInput, stageEfficiency, virnucproPrecision } from './efficiency.ts'
import { ESM2_3B, tokenStatsForSequences, tokenStatsFromLengths, type TransformerShape } from './flops.ts'

function calibration(overrides: Partial<Calibrated> = {}): Calibrated {
  return {
    status: 'calibrated',
    gpu: { index: 0, name: 'NVIDIA H200', uuid: 'GPU-1', driver: '580.159.04', computeCapability: '9.0', memoryTotalMiB: 143156, multiprocessors: 132 },
    visibleGpuNames: ['NVIDIA H200', 'NVIDIA H200'],
    torch: '2.11.0+cu130',
    cuda: '13.0',
    bf16Tflops: 20,
    fp16Tflops: null,
    tf32Tflops: null,
    fp32Tflops: 5,
    memoryBandwidthGBs: 4000,
    matmul: { size: 8192, iterations: 10, repeats: 5, samplesTflops: { bf16: [20] } },
    bandwidth: { bytesPerCopy: 2 ** 31, iterations: 20, repeats: 5, samplesGBs: [4000] },
    method: 'best of 5 repeats × 10 timed 8192×8192×8192 torch.matmul',
    measuredAt: '2026-11-29T03:36:30.274480Z',
    durationSeconds: 5.8,
    fromCache: false,
    ...overrides,
  }
}

// One layer, d = 1000, f = 4000: 1.2e7 matmul weights → 2.4e7 FLOP per token.
// 1000 sequences of 1000 tokens: linear 2.4e7·1e6 = 2.4e13, attention 4·1·1000·(1000·1000²) = 4e12, total 2.8e13.
const ROUND: TransformerShape = { name: 'round', layers: 1, hidden: 1000, ffn: 4000, heads: null, gatedFfn: false }
const ROUND_TOKENS = tokenStatsFromLengths(Array.from({ length: 1000 }, () => 1000))

function input(overrides: Partial<StageEfficiencyInput> = {}): StageEfficiencyInput {
  return {
    stage: 'PROTEIN_FEATURES',
    shape: ROUND,
    tokens: ROUND_TOKENS,
    tokensSource: "the pipeline's log",
    stageSeconds: 2,
    modelLoadSeconds: 1,
    gpuCount: 2,
    precision: 'bf16',
    calibration: calibration(),
    ...overrides,
  }
}

describe('stageEfficiency ratio math', () => {
  it('divides model FLOPs by time, GPU count and ceiling', () => {
    const result = stageEfficiency(input())
    expect(result.flops).toEqual({ total: 2.8e13, linear: 2.4e13, attention: 4e12 })
    expect(result.seconds).toEqual({ stage: 2, modelLoad: 1, inference: 1, inferenceSource: 'stage − model load' })
    // 2.8e13 FLOP / 2 s = 14 TFLOP/s; / 1 s = 28 TFLOP/s; two GPUs.
    expect(result.achievedTflops.overStage).toBeCloseTo(14, 12)
    expect(result.achievedTflops.overInference).toBeCloseTo(28, 12)
    expect(result.achievedTflopsPerGpu.overStage).toBeCloseTo(7, 12)
    expect(result.achievedTflopsPerGpu.overInference).toBeCloseTo(14, 12)
    // calibrated 20 TFLOP/s × 2 GPUs = 40: 14/40, 28/40
    expect(result.ceilings.calibrated).toMatchObject({ label: 'calibrated', tflopsPerGpu: 20, precision: 'bf16', gpu: 'NVIDIA H200' })
    expect(result.ratios.calibrated?.overStage).toBeCloseTo(0.35, 12)
    expect(result.ratios.calibrated?.overInference).toBeCloseTo(0.7, 12)
    // vendor peak H200 SXM bf16 989 × 2
    expect(result.ceilings.vendorPeak).toEqual({ label: 'vendor peak', tflopsPerGpu: 989, precision: 'bf16', gpu: 'NVIDIA H200 SXM' })
    expect(result.ratios.vendorPeak?.overStage).toBeCloseTo(14 / 1978, 12)
    expect(result.ratios.vendorPeak?.overInference).toBeCloseTo(28 / 1978, 12)
    expect(result.notes).toEqual([])
  })

  it('says exactly where each number came from', () => {
    const { basis } = stageEfficiency(input({ stageSecondsSource: 'pipeline_state.json duration_seconds', modelLoadSource: 'log lines `Loading ESM-2 model` → `Model loaded`' }))
    expect(basis.flops).toMatch(/^model FLOPs from shape: .*2·L·\(4·d² \+ 2·d·f\)·Σℓ \+ 4·L·d·Σℓ² with L=1, d=1000, f=4000/)
    expect(basis.tokens).toMatch(/exact from 1,000 per-sequence token lengths; from the pipeline's log$/)
    expect(basis.time).toBe('stage 2 s from pipeline_state.json duration_seconds; model load 1 s from log lines `Loading ESM-2 model` → `Model loaded`; inference = stage − load = 1 s')
    expect(basis.ceiling).toMatch(/^ceiling 20 TFLOP\/s per GPU × 2 GPU\(s\), calibrated by 8192³ bf16 torch.matmul on GPU 0 \(NVIDIA H200\) at 2026-11-29T03:36:30.274480Z: /)
    expect(basis.vendorPeak).toMatch(/^vendor peak \(datasheet, not measured\): NVIDIA H200 SXM/)
  })

  it('reports rates over the stage only when model load time is unknown', () => {
    const result = stageEfficiency(input({ modelLoadSeconds: null }))
    expect(result.seconds.inference).toBeNull()
    expect(result.achievedTflops.overInference).toBeNull()
    expect(result.ratios.calibrated).toEqual({ overStage: expect.closeTo(0.35, 12), overInference: null })
    expect(result.basis.time).toMatch(/model load time unknown, so rates are over the whole stage only/)
  })

  it('keeps the result but drops the inference rate when loading is not shorter than the stage', () => {
    const result = stageEfficiency(input({ modelLoadSeconds: 2 }))
    expect(result.seconds).toEqual({ stage: 2, modelLoad: 2, inference: null, inferenceSource: null })
    expect(result.notes.join()).toMatch(/Model load 2 s is not shorter than the stage's 2 s/)
  })
})

describe('ceilings', () => {
  it('without a calibration, still compares with the vendor peak of the named GPU', () => {
    const unavailable: Calibration = { status: 'unavailable', reason: 'torch.cuda.is_available() is False', torch: '1.13.0', measuredAt: '2026-11-29T00:00:00Z' }
    const result = stageEfficiency(input({ calibration: unavailable, gpuName: 'NVIDIA H100 80GB HBM3' }))
    expect(result.ceilings.calibrated).toBeNull()
    expect(result.ratios.calibrated).toBeNull()
    expect(result.ceilings.vendorPeak?.gpu).toBe('NVIDIA H100 SXM')
    expect(result.basis.ceiling).toBe('not calibrated: torch.cuda.is_available() is False')
    expect(result.roofline?.bandwidthLabel).toBe('vendor peak')
    expect(result.roofline?.memoryBandwidthGBs).toBe(3350)
  })

  it('has no ceilings at all for an unknown, uncalibrated GPU', () => {
    const result = stageEfficiency(input({ calibration: null, gpuName: 'Mystery GPU' }))
    expect(result.ratios).toEqual({ calibrated: null, vendorPeak: null })
    expect(result.roofline).toBeNull()
    expect(result.basis.vendorPeak).toBe('no vendor peak known for Mystery GPU')
    expect(result.basis.ceiling).toBe('not calibrated: no calibrated ceiling')
  })

  it('uses the bf16 ceiling for an uncalibrated fp16 stage, saying so, but never for fp32/tf32', () => {
    const fp16 = stageEfficiency(input({ precision: 'fp16' }))
    expect(fp16.ceilings.calibrated).toMatchObject({ tflopsPerGpu: 20, precision: 'bf16' })
    expect(fp16.ceilings.vendorPeak).toMatchObject({ tflopsPerGpu: 989, precision: 'fp16' })
    expect(fp16.notes.join()).toMatch(/fp16 was not calibrated: the bf16 ceiling stands in/)
    const fp32 = stageEfficiency(input({ precision: 'fp32' }))
    expect(fp32.ceilings.calibrated).toMatchObject({ tflopsPerGpu: 5, precision: 'fp32' })
    expect(fp32.ratios.calibrated?.overStage).toBeCloseTo(14 / 10, 12)
    expect(fp32.ceilings.vendorPeak?.tflopsPerGpu).toBe(67)
    const tf32 = stageEfficiency(input({ precision: 'tf32' }))
    expect(tf32.ceilings.calibrated).toBeNull()
    expect(tf32.basis.ceiling).toMatch(/^calibrated, but not at this stage's precision/)
    expect(tf32.notes.join()).toMatch(/tf32 was not calibrated/)
  })

  it('notes mixed GPU models and a calibration above the vendor peak', () => {
    const odd = calibration({ bf16Tflops: 1200, visibleGpuNames: ['NVIDIA H200', 'NVIDIA H100 80GB HBM3'] })
    const notes = stageEfficiency(input({ calibration: odd })).notes.join('\n')
    expect(notes).toMatch(/Visible GPUs differ \(NVIDIA H200, NVIDIA H100 80GB HBM3\)/)
    expect(notes).toMatch(/Calibrated bf16 1200 TFLOP\/s exceeds the vendor peak 989/)
  })

  it('notes an approximate Σℓ²', () => {
    const approx = { ...ROUND_TOKENS, exact: false }
    expect(stageEfficiency(input({ tokens: approx })).notes.join()).toMatch(/attention FLOPs are a lower bound/)
  })
})

describe('roofline', () => {
  const realistic = calibration({ bf16Tflops: 800, fp16Tflops: 760, memoryBandwidthGBs: 4000 })

  it('puts the ridge at ceiling ÷ bandwidth and calls a 16k-token batch compute-bound', () => {
    const { roofline } = stageEfficiency(input({ calibration: realistic, tokensPerBatch: 16384 }))
    expect(roofline?.ridgeFlopsPerByte).toBeCloseTo(200, 9) // 800e12 / 4000e9
    expect(roofline?.bandwidthLabel).toBe('calibrated')
    expect(roofline?.note).toMatch(/ridge 200 FLOP\/byte = 800 TFLOP\/s ÷ 4000 GB\/s \(calibrated\)/)
    expect(roofline?.note).toMatch(/at ~16384 tokens per batch \(16384 FLOP\/byte\) the weight matmuls are compute-bound/)
  })

  it('calls a 100-token fp16 batch bandwidth-bound, capped at intensity ÷ ridge', () => {
    const { roofline } = stageEfficiency(input({ calibration: realistic, precision: 'fp16', tokensPerBatch: 100 }))
    expect(roofline?.ridgeFlopsPerByte).toBeCloseTo(190, 9) // 760e12 / 4000e9
    expect(roofline?.note).toMatch(/\(100 FLOP\/byte\) the weight matmuls are bandwidth-bound: at most ~53 % of the compute ceiling/)
  })

  it('without a batch size, says from how many tokens per batch the weights stop being the limit', () => {
    expect(stageEfficiency(input({ calibration: realistic })).roofline?.note).toMatch(/fewer than ~200 tokens would be bandwidth-bound/)
  })
})

describe('inputs', () => {
  it('rejects bad durations and GPU counts, naming them and the stage', () => {
    expect(() => stageEfficiency(input({ stageSeconds: 0 }))).toThrow(/stageEfficiency\(PROTEIN_FEATURES\): stageSeconds must be a finite number > 0, got 0/)
    expect(() => stageEfficiency(input({ gpuCount: 0 }))).toThrow(/gpuCount must be a positive integer, got 0/)
    expect(() => stageEfficiency(input({ modelLoadSeconds: -1 }))).toThrow(/modelLoadSeconds must be a finite number ≥ 0 or null, got -1/)
  })

  it("knows the real pipeline's precision per stage", () => {
    expect(virnucproPrecision('PROTEIN_FEATURES', 1)).toBe('fp16')
    expect(virnucproPrecision('NUCLEOTIDE_FEATURES', 1)).toBe('fp32')
    expect(virnucproPrecision('NUCLEOTIDE_FEATURES', 4)).toBe('fp16')
    expect(() => virnucproPrecision('PREDICTION', 1)).toThrow(/not an embedding stage/)
  })
})

describe('stageEfficiency over an inference phase', () => {
  it('uses the inference phase instead of stage − model load, and says so', () => {
    const result = stageEfficiency({
      stage: 'PROTEIN_FEATURES',
      shape: ESM2_3B,
      tokens: tokenStatsForSequences('esm', [100, 200]),
      tokensSource: 'test',
      stageSeconds: 100,
      modelLoadSeconds: 30,
      inferencePhase: { seconds: 40, basis: 'logged' },
      gpuCount: 1,
      precision: 'fp16',
      calibration: null,
    })
    expect(result.seconds).toEqual({ stage: 100, modelLoad: 30, inference: 40, inferenceSource: 'inference phase (logged)' })
    expect(result.achievedTflops.overInference).toBeCloseTo(result.achievedTflops.overStage * 2.5, 9)
    expect(result.basis.time).toMatch(/inference = the stage's inference phase, 40 s \(logged\)$/)
  })
})

describe('worked example: the real VirNucPro ESM-2 stage on one H200 (shared/captures/virnucpro-h200, bench_single)', () => {
  // 8,077 ORF frames of 166 aa; stage 68.740634 s (pipeline_state.json); model load 17:38:01 → 17:38:27 = 26 s (log);
  // calibration of that machine's kind: fp16 761.6 TFLOP/s, 4,270 GB/s (calibrate.py on an H200, 2026-11-29).
  const h200 = calibration({ bf16Tflops: 793.3, fp16Tflops: 761.6, memoryBandwidthGBs: 4270.1, visibleGpuNames: ['NVIDIA H200'] })
  const result = stageEfficiency({
    stage: 'PROTEIN_FEATURES',
    shape: ESM2_3B,
    tokens: tokenStatsForSequences('esm', Array.from({ length: 8077 }, () => 166)),
    tokensSource: 'ORF lengths of the protein FASTA',
    stageSeconds: 68.740634,
    modelLoadSeconds: 26,
    gpuCount: 1,
    precision: virnucproPrecision('PROTEIN_FEATURES', 1),
    calibration: h200,
  })

  it('used about a quarter of the calibrated fp16 ceiling while inferring, a seventh over the whole stage', () => {
    // Σℓ = 8077·168 = 1,356,936; FLOPs = 5,662,310,400·Σℓ + 368,640·8077·168² ≈ 7.767e15
    expect(result.flops.total).toBe(5_662_310_400 * 1_356_936 + 368_640 * 8077 * 168 * 168)
    expect(result.achievedTflops.overInference).toBeCloseTo(181.7, 1)
    expect(result.ratios.calibrated?.overInference).toBeCloseTo(0.2386, 3)
    expect(result.ratios.calibrated?.overStage).toBeCloseTo(0.1484, 3)
    expect(result.ratios.vendorPeak?.overInference).toBeCloseTo(0.1838, 3)
  })
})
