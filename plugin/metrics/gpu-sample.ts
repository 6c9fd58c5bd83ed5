/** One nvidia-smi reading of one GPU. Metrics a GPU does not report are null, never 0. */
export interface GpuSample {
  /** Epoch milliseconds. */
  timestampMs: number
  /** Physical GPU index (nvidia-smi ignores CUDA_VISIBLE_DEVICES). */
  gpu: number
  uuid: string | null
  utilisationPct: number | null
  memoryUsedMiB: number | null
  memoryTotalMiB: number | null
  powerW: number | null
  smClockMHz: number | null
  /** The pipeline stage running when the sample was taken, if known. */
  stage: string | null
}

/** The fields the sampler asks nvidia-smi for, in order. */
export const NVIDIA_SMI_FIELDS = [
  'timestamp',
  'index',
  'uuid',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'power.draw',
  'clocks.sm',
] as const
