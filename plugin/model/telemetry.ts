import { z } from 'zod'

/** Distribution of one GPU metric over a window; null when the metric was not reported. */
export const DistributionSchema = z.object({
  mean: z.number(),
  p50: z.number(),
  p95: z.number(),
  max: z.number(),
})
export type Distribution = z.infer<typeof DistributionSchema>

export const GpuWindowStatsSchema = z.object({
  gpu: z.number().int().nonnegative(),
  samples: z.number().int().nonnegative(),
  utilisationPercent: DistributionSchema,
  memoryUsedMiB: z.object({ peak: z.number(), mean: z.number() }),
  memoryTotalMiB: z.number().nullable(),
  powerW: DistributionSchema.nullable(),
  energyJ: z.number().nullable(),
  smClockMHz: DistributionSchema.nullable(),
  /** Longest stretch with utilisation under 10 %: the idle gaps the 80 % target is about. */
  longestIdleSeconds: z.number(),
})
export type GpuWindowStats = z.infer<typeof GpuWindowStatsSchema>

/** Of a window's wall time, how long every / some / no GPU was busy (utilisation ≥ busy threshold). */
export const BusyAccountingSchema = z.object({
  busyThresholdPercent: z.number(),
  allBusySeconds: z.number(),
  someBusySeconds: z.number(),
  noneBusySeconds: z.number(),
})
export type BusyAccounting = z.infer<typeof BusyAccountingSchema>

export const GpuWindowSchema = z.object({
  /** 'run', a stage enum name, or 'embedding' (DNABERT-S + ESM-2). */
  window: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  perGpu: z.array(GpuWindowStatsSchema),
  /** Mean utilisation over the GPUs the run was given. */
  meanUtilisationPercent: z.number(),
  energyJ: z.number().nullable(),
  /** Energy over the sequences the window processed (ORF frames); absent when unknown. */
  energyPerSequenceJ: z.number().nullable().optional(),
  busy: BusyAccountingSchema,
})
export type GpuWindow = z.infer<typeof GpuWindowSchema>

export const GpuTelemetrySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('unavailable'),
    reason: z.string(),
  }),
  z.object({
    status: z.literal('sampled'),
    source: z.string(),
    intervalMs: z.number().positive(),
    sampleCount: z.number().int().nonnegative(),
    /** CPU time the sampler process used, as percent of one core over the run. */
    samplerCpuPercent: z.number().nullable(),
    /** Arrow IPC file with every sample (timestamp, gpu, utilisation, memory, power, clock, stage). */
    timelinePath: z.string().nullable(),
    /** GPUs the run was given (physical indices) and those whose samples show work. */
    assignedGpus: z.array(z.number().int().nonnegative()),
    busyGpus: z.array(z.number().int().nonnegative()),
    run: GpuWindowSchema,
    embedding: GpuWindowSchema.nullable(),
    stages: z.array(GpuWindowSchema),
    /** The sampler's process ended before the run did: no samples from `fromMs` (epoch ms) on, and why. */
    samplingGap: z.object({ fromMs: z.number(), reason: z.string() }).nullable().optional(),
  }),
])
export type GpuTelemetry = z.infer<typeof GpuTelemetrySchema>
