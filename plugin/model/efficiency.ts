import { z } from 'zod'
import { StageSchema } from './stages.ts'

/**
 * How close the embedding stages came to what the GPUs can physically do.
 * Two kinds of ceiling are kept apart on purpose: "calibrated" (measured on the machine by plugin/env/calibrate)
 * and "vendor peak" (the datasheet figure, which real kernels rarely reach).
 */

export const MATMUL_PRECISIONS = ['bf16', 'fp16', 'tf32', 'fp32'] as const
export const MatmulPrecisionSchema = z.enum(MATMUL_PRECISIONS)
export type MatmulPrecision = z.infer<typeof MatmulPrecisionSchema>

export const CalibrationGpuSchema = z.object({
  /** The torch device index the measurement ran on (after CUDA_VISIBLE_DEVICES). */
  index: z.number().int().nonnegative(),
  name: z.string().min(1),
  uuid: z.string().nullable(),
  /** NVIDIA driver version (e.g. "580.159.03"), or the CUDA driver API version when NVML and nvidia-smi are missing. */
  driver: z.string().nullable(),
  computeCapability: z.string().nullable(),
  memoryTotalMiB: z.number().nullable(),
  multiprocessors: z.number().int().nullable(),
})
export type CalibrationGpu = z.infer<typeof CalibrationGpuSchema>

/** What the quick `--identify` call of calibrate.py prints: enough to key the cache, no measurement. */
export const CalibrationIdentitySchema = z.object({
  status: z.literal('identified'),
  gpu: CalibrationGpuSchema,
  /** Names of every visible GPU; only one is measured and the others are assumed identical when the names agree. */
  visibleGpuNames: z.array(z.string()),
  torch: z.string(),
  cuda: z.string().nullable(),
})
export type CalibrationIdentity = z.infer<typeof CalibrationIdentitySchema>

const SamplesSchema = z.array(z.number().nonnegative())

export const CalibratedSchema = CalibrationIdentitySchema.extend({
  status: z.literal('calibrated'),
  /** Best of the timed repeats of an n×n×n bf16 torch.matmul on random data (2·n³ FLOP each). */
  bf16Tflops: z.number().positive(),
  fp16Tflops: z.number().positive().nullable(),
  /** fp32 inputs with `allow_tf32 = True`. */
  tf32Tflops: z.number().positive().nullable(),
  /** fp32 inputs with TF32 off: what PyTorch does by default for float32 models. */
  fp32Tflops: z.number().positive().nullable(),
  /** Best of the timed repeats of `y.copy_(x)`, counting bytes read + written, in 10^9 bytes per second. */
  memoryBandwidthGBs: z.number().positive(),
  matmul: z.object({
    size: z.number().int().positive(),
    iterations: z.number().int().positive(),
    repeats: z.number().int().positive(),
    samplesTflops: z.record(z.string(), SamplesSchema),
  }),
  bandwidth: z.object({
    bytesPerCopy: z.number().int().positive(),
    iterations: z.number().int().positive(),
    repeats: z.number().int().positive(),
    samplesGBs: SamplesSchema,
  }),
  method: z.string(),
  /** ISO 8601 (UTC) when the measurement finished. */
  measuredAt: z.string(),
  /** Seconds the measuring process took, torch import included. */
  durationSeconds: z.number().nonnegative(),
  /** True when this value was read back from the calibration cache instead of measured now. */
  fromCache: z.boolean(),
})
export type Calibrated = z.infer<typeof CalibratedSchema>

export const CalibrationUnavailableSchema = z.object({
  status: z.literal('unavailable'),
  /** Why nothing was measured, e.g. "torch.cuda.is_available() is False (torch 1.13.0, CUDA build: none)". */
  reason: z.string().min(1),
  torch: z.string().nullable(),
  measuredAt: z.string(),
})
export type CalibrationUnavailable = z.infer<typeof CalibrationUnavailableSchema>

export const CalibrationSchema = z.discriminatedUnion('status', [CalibratedSchema, CalibrationUnavailableSchema])
export type Calibration = z.infer<typeof CalibrationSchema>

/** A datasheet figure: dense (no structured sparsity) tensor-core rates and HBM bandwidth. */
export const VendorPeakSchema = z.object({
  label: z.literal('vendor peak'),
  gpu: z.string(),
  bf16Tflops: z.number().positive(),
  fp16Tflops: z.number().positive(),
  tf32Tflops: z.number().positive(),
  fp32Tflops: z.number().positive(),
  memoryBandwidthGBs: z.number().positive(),
  source: z.string(),
})
export type VendorPeak = z.infer<typeof VendorPeakSchema>

const DENSE = 'dense = half the datasheet "with sparsity" tensor figure'

/**
 * Published peaks, matched on the device name torch reports. Ordered: the first pattern that matches wins,
 * so the more specific names (H200 NVL) come before the general ones. Unknown GPUs get no vendor peak
 * rather than a guess.
 */
export const VENDOR_PEAKS: readonly { readonly pattern: RegExp; readonly peak: VendorPeak }[] = [
  {
    pattern: /\bH200 NVL\b/i,
    peak: { label: 'vendor peak', gpu: 'NVIDIA H200 NVL', bf16Tflops: 835, fp16Tflops: 835, tf32Tflops: 417.5, fp32Tflops: 60, memoryBandwidthGBs: 4800, source: `NVIDIA H200 datasheet, NVL column (${DENSE}); HBM3e 4.8 TB/s` },
  },
  {
    pattern: /\bH200\b/i,
    peak: { label: 'vendor peak', gpu: 'NVIDIA H200 SXM', bf16Tflops: 989, fp16Tflops: 989, tf32Tflops: 494.5, fp32Tflops: 67, memoryBandwidthGBs: 4800, source: `NVIDIA H200 datasheet, SXM column (${DENSE}); HBM3e 4.8 TB/s` },
  },
  {
    pattern: /\bH100 PCIe\b/i,
    peak: { label: 'vendor peak', gpu: 'NVIDIA H100 PCIe', bf16Tflops: 756, fp16Tflops: 756, tf32Tflops: 378, fp32Tflops: 51, memoryBandwidthGBs: 2000, source: `NVIDIA H100 datasheet, PCIe column (${DENSE}); HBM2e 2.0 TB/s` },
  },
  {
    pattern: /\bH100\b.*\b(SXM|HBM3)\b/i,
    peak: { label: 'vendor peak', gpu: 'NVIDIA H100 SXM', bf16Tflops: 989, fp16Tflops: 989, tf32Tflops: 494.5, fp32Tflops: 67, memoryBandwidthGBs: 3350, source: `NVIDIA H100 datasheet, SXM column (${DENSE}); HBM3 3.35 TB/s` },
  },
  {
    pattern: /\bA100-SXM4-80GB\b/i,
    peak: { label: 'vendor peak', gpu: 'NVIDIA A100 SXM4 80GB', bf16Tflops: 312, fp16Tflops: 312, tf32Tflops: 156, fp32Tflops: 19.5, memoryBandwidthGBs: 2039, source: `NVIDIA A100 datasheet, 80GB SXM column (${DENSE}); HBM2e 2,039 GB/s` },
  },
  {
    pattern: /\bRTX 4090\b/i,
    peak: { label: 'vendor peak', gpu: 'NVIDIA GeForce RTX 4090', bf16Tflops: 165.2, fp16Tflops: 165.2, tf32Tflops: 82.6, fp32Tflops: 82.6, memoryBandwidthGBs: 1008, source: 'NVIDIA Ada Lovelace architecture whitepaper, RTX 4090 (dense, FP32 accumulate, as PyTorch uses); GDDR6X 1,008 GB/s' },
  },
]

/** The vendor peak for a device name as torch or nvidia-smi reports it, or null when the GPU is not in the table. */
export function vendorPeakFor(gpuName: string): VendorPeak | null {
  return VENDOR_PEAKS.find((entry) => entry.pattern.test(gpuName))?.peak ?? null
}

/** A rate over two time bases: the whole stage, and its inference time (the inference phase, or the stage minus model loading; null when unknown). */
const OverTimeSchema = z.object({ overStage: z.number(), overInference: z.number().nullable() })

export const StageEfficiencySchema = z.object({
  stage: StageSchema,
  model: z.object({
    name: z.string(),
    layers: z.number().int().positive(),
    hidden: z.number().int().positive(),
    ffn: z.number().int().positive(),
    gatedFfn: z.boolean(),
  }),
  /** The matmul precision the stage's ceiling is taken at (the pipeline runs ESM-2 in fp16). */
  precision: MatmulPrecisionSchema,
  gpuCount: z.number().int().positive(),
  tokens: z.object({
    sequences: z.number().nonnegative(),
    sum: z.number().nonnegative(),
    sumSquares: z.number().nonnegative(),
    /** False when Σℓ² was approximated from the token total and the mean length. */
    exact: z.boolean(),
  }),
  /** Model FLOPs of one forward pass over every sequence (useful work: padding is not counted). */
  flops: z.object({ total: z.number(), linear: z.number(), attention: z.number() }),
  seconds: z.object({
    stage: z.number().positive(),
    modelLoad: z.number().nonnegative().nullable(),
    /** The stage's inference phase (plugin/analysis/phases.ts) where known, else stage − modelLoad; null when neither is known. */
    inference: z.number().positive().nullable(),
    /** How the inference time was obtained: 'inference phase (logged)', 'inference phase (sampled at 500 ms)', 'stage − model load'. */
    inferenceSource: z.string().nullable().default(null),
  }),
  achievedTflops: OverTimeSchema,
  /** achievedTflops ÷ gpuCount: assumes the work was split evenly. */
  achievedTflopsPerGpu: OverTimeSchema,
  ceilings: z.object({
    calibrated: z
      .object({ label: z.literal('calibrated'), tflopsPerGpu: z.number().positive(), precision: MatmulPrecisionSchema, gpu: z.string(), measuredAt: z.string() })
      .nullable(),
    vendorPeak: z.object({ label: z.literal('vendor peak'), tflopsPerGpu: z.number().positive(), precision: MatmulPrecisionSchema, gpu: z.string() }).nullable(),
  }),
  /** achieved ÷ (ceiling × gpuCount), as fractions (0.42 = 42 %). Null when that ceiling is unknown. */
  ratios: z.object({ calibrated: OverTimeSchema.nullable(), vendorPeak: OverTimeSchema.nullable() }),
  /** Whether the stage could be memory-bound rather than compute-bound; null without any bandwidth figure. */
  roofline: z
    .object({
      memoryBandwidthGBs: z.number().positive(),
      bandwidthLabel: z.enum(['calibrated', 'vendor peak']),
      /** FLOP per byte below which a kernel is bandwidth-bound at these ceilings. */
      ridgeFlopsPerByte: z.number().positive(),
      note: z.string(),
    })
    .nullable(),
  /** Caveats the reader should see (approximate Σℓ², mixed GPU models, precision fallback…). */
  notes: z.array(z.string()),
  /** Exactly how each number was obtained. */
  basis: z.object({ flops: z.string(), tokens: z.string(), time: z.string(), ceiling: z.string(), vendorPeak: z.string() }),
})
export type StageEfficiency = z.infer<typeof StageEfficiencySchema>
