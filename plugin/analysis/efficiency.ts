/**
 * How close an embedding stage came to what its GPUs can physically do. Pure: no I/O.
 *
 * achieved FLOP/s = model FLOPs (flops.ts) ÷ seconds; ratio = achieved ÷ (ceiling per GPU × GPU count), against the
 * calibrated ceiling (plugin/env/calibrate) and, separately, the vendor peak. Rates are given over the whole stage
 * and over the stage minus model loading, because small runs are dominated by loading a 3B-parameter model.
 */
import {
  type Calibration,
  type MatmulPrecision,
  type StageEfficiency,
  StageEfficiencySchema,
  type VendorPeak,
  vendorPeakFor,
} from '../model/efficiency.ts'
import type { Stage } from '../model/stages.ts'
import { forwardFlops, type TokenStats, type TransformerShape } from './flops.ts'

export interface StageEfficiencyInput {
  stage: Stage
  shape: TransformerShape
  tokens: TokenStats
  /** Where the token counts came from, e.g. "the pipeline's log (`Index: 8077 sequences, 1357800 tokens`)". */
  tokensSource: string
  /** The stage's duration, seconds. */
  stageSeconds: number
  /** Default "pipeline_state.json duration_seconds". */
  stageSecondsSource?: string
  /** Model loading inside the stage, seconds; null when the pipeline does not log it. */
  modelLoadSeconds: number | null
  modelLoadSource?: string
  gpuCount: number
  /** The precision the stage's matmuls run in; picks the ceiling. Default bf16. See `virnucproPrecision`. */
  precision?: MatmulPrecision
  /** null when calibration was not run. */
  calibration: Calibration | null
  /** Device name for the vendor peak when the calibration does not name one (e.g. nvidia-smi's name). */
  gpuName?: string | null
  /**
   * The stage's inference phase (plugin/analysis/phases.ts): when given, rates "over inference" use it instead of
   * stage − model load, which on the real tool's v2 path still holds worker spawn, the first-batch wait and tear-down.
   */
  inferencePhase?: { seconds: number; basis: string } | null
  /** Tokens per forward batch, when known (e.g. the v2 token budget): decides whether the roofline note says compute- or bandwidth-bound. */
  tokensPerBatch?: number | null
}

/**
 * The precision the real VirNucPro runs each embedding stage in (contract §2, Precision): ESM-2 is fp16 on every
 * path; DNABERT-S is fp32 on one GPU (plain AutoModel, TF32 off by default in PyTorch) and fp16 on the multi-GPU path.
 */
export function virnucproPrecision(stage: Stage, gpuCount: number): MatmulPrecision {
  if (stage === 'PROTEIN_FEATURES') return 'fp16'
  if (stage === 'NUCLEOTIDE_FEATURES') return gpuCount > 1 ? 'fp16' : 'fp32'
  throw new Error(`virnucproPrecision: ${stage} is not an embedding stage`)
}

const TFLOP = 1e12

export function stageEfficiency(input: StageEfficiencyInput): StageEfficiency {
  const { stage, shape, tokens, gpuCount } = input
  const precision = input.precision ?? 'bf16'
  requirePositive(input.stageSeconds, 'stageSeconds', stage)
  if (!Number.isInteger(gpuCount) || gpuCount < 1) throw new Error(`stageEfficiency(${stage}): gpuCount must be a positive integer, got ${gpuCount}`)
  if (input.modelLoadSeconds !== null && !(Number.isFinite(input.modelLoadSeconds) && input.modelLoadSeconds >= 0)) {
    throw new Error(`stageEfficiency(${stage}): modelLoadSeconds must be a finite number ≥ 0 or null, got ${input.modelLoadSeconds}`)
  }
  const notes: string[] = []
  if (!tokens.exact) notes.push('Σℓ² approximated from the mean length: attention FLOPs are a lower bound.')

  const flops = forwardFlops(shape, tokens)
  const load = input.modelLoadSeconds
  let inference: number | null = null
  const phase = input.inferencePhase ?? null
  if (phase !== null && phase.seconds > 0) inference = Math.min(phase.seconds, input.stageSeconds)
  else if (load !== null) {
    if (load < input.stageSeconds) inference = input.stageSeconds - load
    else notes.push(`Model load ${load} s is not shorter than the stage's ${input.stageSeconds} s: inference time unknown, rates over the whole stage only.`)
  }
  const rate = (seconds: number) => flops.total / seconds / TFLOP
  const achievedTflops = { overStage: rate(input.stageSeconds), overInference: inference === null ? null : rate(inference) }
  const achievedTflopsPerGpu = {
    overStage: achievedTflops.overStage / gpuCount,
    overInference: achievedTflops.overInference === null ? null : achievedTflops.overInference / gpuCount,
  }

  const calibrated = calibratedCeiling(input.calibration, precision, notes)
  const gpuName = input.calibration?.status === 'calibrated' ? input.calibration.gpu.name : (input.gpuName ?? null)
  const peak = gpuName === null ? null : vendorPeakFor(gpuName)
  const vendorTflops = peak === null ? null : peakTflops(peak, precision)
  if (calibrated !== null && vendorTflops !== null && calibrated.tflopsPerGpu > vendorTflops * 1.05) {
    notes.push(`Calibrated ${precision} ${calibrated.tflopsPerGpu.toFixed(0)} TFLOP/s exceeds the vendor peak ${vendorTflops} TFLOP/s: check the calibration.`)
  }
  const ratio = (ceilingPerGpu: number) => ({
    overStage: achievedTflops.overStage / (ceilingPerGpu * gpuCount),
    overInference: achievedTflops.overInference === null ? null : achievedTflops.overInference / (ceilingPerGpu * gpuCount),
  })

  const result: StageEfficiency = {
    stage,
    model: { name: shape.name, layers: shape.layers, hidden: shape.hidden, ffn: shape.ffn, gatedFfn: shape.gatedFfn },
    precision,
    gpuCount,
    tokens: { sequences: tokens.sequences, sum: tokens.sumTokens, sumSquares: tokens.sumSquaredTokens, exact: tokens.exact },
    flops: { total: flops.total, linear: flops.linear, attention: flops.attention },
    seconds: {
      stage: input.stageSeconds,
      modelLoad: load,
      inference,
      inferenceSource: inference === null ? null : phase !== null && phase.seconds > 0 ? `inference phase (${phase.basis})` : 'stage − model load',
    },
    achievedTflops,
    achievedTflopsPerGpu,
    ceilings: {
      calibrated,
      vendorPeak: peak === null || vendorTflops === null ? null : { label: 'vendor peak', tflopsPerGpu: vendorTflops, precision, gpu: peak.gpu },
    },
    ratios: {
      calibrated: calibrated === null ? null : ratio(calibrated.tflopsPerGpu),
      vendorPeak: vendorTflops === null ? null : ratio(vendorTflops),
    },
    roofline: roofline(input, precision, calibrated?.tflopsPerGpu ?? null, peak, vendorTflops),
    notes,
    basis: {
      flops: `model FLOPs from shape: ${flops.method}`,
      tokens: `${tokens.description}; from ${input.tokensSource}`,
      time: timeBasis(input, inference),
      ceiling: ceilingBasis(input.calibration, calibrated, gpuCount),
      vendorPeak: peak === null ? `no vendor peak known for ${gpuName ?? 'an unnamed GPU'}` : `vendor peak (datasheet, not measured): ${peak.gpu}, ${peak.source}`,
    },
  }
  return StageEfficiencySchema.parse(result)
}

function calibratedCeiling(calibration: Calibration | null, precision: MatmulPrecision, notes: string[]): StageEfficiency['ceilings']['calibrated'] {
  if (calibration === null || calibration.status !== 'calibrated') return null
  const names = new Set(calibration.visibleGpuNames)
  if (names.size > 1) notes.push(`Visible GPUs differ (${[...names].join(', ')}); only GPU ${calibration.gpu.index} (${calibration.gpu.name}) was calibrated and every GPU is assumed to match it.`)
  const measured = { bf16: calibration.bf16Tflops, fp16: calibration.fp16Tflops, tf32: calibration.tf32Tflops, fp32: calibration.fp32Tflops }[precision]
  const base = { label: 'calibrated' as const, gpu: calibration.gpu.name, measuredAt: calibration.measuredAt }
  if (measured !== null) return { ...base, tflopsPerGpu: measured, precision }
  // fp16 and bf16 run at the same tensor-core rate on Ampere and Hopper; fp32/tf32 do not, so no fallback for those.
  if (precision === 'fp16') {
    notes.push('fp16 was not calibrated: the bf16 ceiling stands in (same tensor-core rate on Ampere/Hopper).')
    return { ...base, tflopsPerGpu: calibration.bf16Tflops, precision: 'bf16' }
  }
  notes.push(`${precision} was not calibrated: no calibrated ceiling for this stage.`)
  return null
}

function peakTflops(peak: VendorPeak, precision: MatmulPrecision): number {
  return { bf16: peak.bf16Tflops, fp16: peak.fp16Tflops, tf32: peak.tf32Tflops, fp32: peak.fp32Tflops }[precision]
}

/**
 * The weight matmuls of a batch of T tokens do 2·P·T FLOP over P weights of b bytes each, so their arithmetic
 * intensity is 2·T/b FLOP per byte (activation traffic ignored). Below the ridge (ceiling ÷ bandwidth) they are
 * bandwidth-bound and the compute ratio understates how busy the GPU is.
 */
function roofline(
  input: StageEfficiencyInput,
  precision: MatmulPrecision,
  calibratedTflops: number | null,
  peak: VendorPeak | null,
  vendorTflops: number | null,
): StageEfficiency['roofline'] {
  const calibration = input.calibration?.status === 'calibrated' ? input.calibration : null
  let bandwidth: { gbs: number; tflops: number; label: 'calibrated' | 'vendor peak' } | null = null
  if (calibration !== null && calibratedTflops !== null) bandwidth = { gbs: calibration.memoryBandwidthGBs, tflops: calibratedTflops, label: 'calibrated' }
  else if (peak !== null && vendorTflops !== null) bandwidth = { gbs: peak.memoryBandwidthGBs, tflops: vendorTflops, label: 'vendor peak' }
  if (bandwidth === null) return null
  const ridge = (bandwidth.tflops * TFLOP) / (bandwidth.gbs * 1e9)
  const bytesPerWeight = precision === 'bf16' || precision === 'fp16' ? 2 : 4
  const tokensAtRidge = Math.ceil((ridge * bytesPerWeight) / 2)
  let verdict = `batches of fewer than ~${tokensAtRidge} tokens would be bandwidth-bound on the weights`
  const batch = input.tokensPerBatch ?? null
  if (batch !== null && batch > 0) {
    const intensity = (2 * batch) / bytesPerWeight
    verdict =
      intensity >= ridge
        ? `at ~${Math.round(batch)} tokens per batch (${intensity.toFixed(0)} FLOP/byte) the weight matmuls are compute-bound, so the compute ratio is the right yardstick`
        : `at ~${Math.round(batch)} tokens per batch (${intensity.toFixed(0)} FLOP/byte) the weight matmuls are bandwidth-bound: at most ~${((100 * intensity) / ridge).toFixed(0)} % of the compute ceiling is reachable`
  }
  return {
    memoryBandwidthGBs: bandwidth.gbs,
    bandwidthLabel: bandwidth.label,
    ridgeFlopsPerByte: ridge,
    note:
      `ridge ${ridge.toFixed(0)} FLOP/byte = ${bandwidth.tflops.toFixed(0)} TFLOP/s ÷ ${bandwidth.gbs.toFixed(0)} GB/s (${bandwidth.label}); ` +
      `${precision} weight matmuls do 2·T/${bytesPerWeight} FLOP per weight byte for T tokens per batch: ${verdict} (activation traffic ignored).`,
  }
}

function timeBasis(input: StageEfficiencyInput, inference: number | null): string {
  const stageSource = input.stageSecondsSource ?? 'pipeline_state.json duration_seconds'
  const stagePart = `stage ${input.stageSeconds} s from ${stageSource}`
  const phase = input.inferencePhase ?? null
  if (phase !== null && phase.seconds > 0 && inference !== null) return `${stagePart}; inference = the stage's inference phase, ${round(inference)} s (${phase.basis})`
  if (input.modelLoadSeconds === null) return `${stagePart}; model load time unknown, so rates are over the whole stage only`
  const loadPart = `model load ${input.modelLoadSeconds} s from ${input.modelLoadSource ?? 'the pipeline log'}`
  return inference === null ? `${stagePart}; ${loadPart} (not subtracted: not shorter than the stage)` : `${stagePart}; ${loadPart}; inference = stage − load = ${round(inference)} s`
}

function ceilingBasis(calibration: Calibration | null, ceiling: StageEfficiency['ceilings']['calibrated'], gpuCount: number): string {
  if (calibration === null) return 'not calibrated: no calibrated ceiling'
  if (calibration.status === 'unavailable') return `not calibrated: ${calibration.reason}`
  if (ceiling === null) return `calibrated, but not at this stage's precision: ${calibration.method}`
  const cache = calibration.fromCache ? ', read from the calibration cache' : ''
  return (
    `ceiling ${round(ceiling.tflopsPerGpu)} TFLOP/s per GPU × ${gpuCount} GPU(s), calibrated by ${calibration.matmul.size}³ ${ceiling.precision} torch.matmul ` +
    `on GPU ${calibration.gpu.index} (${calibration.gpu.name}) at ${calibration.measuredAt}${cache}: ${calibration.method}`
  )
}

function requirePositive(value: number, what: string, stage: Stage): void {
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`stageEfficiency(${stage}): ${what} must be a finite number > 0, got ${value}`)
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
