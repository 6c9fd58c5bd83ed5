import { z } from 'zod'

/**
 * Where a run ran when a cluster scheduler launched it: the Slurm job, the node and the allocation. Absent for
 * runs launched in place. Queue time is kept here, apart: the run's wallSeconds never include it.
 */
export const SlurmJobRecordSchema = z.object({
  kind: z.literal('slurm'),
  /** Null when sbatch refused the job. */
  jobId: z.string().nullable(),
  nodeName: z.string().nullable(),
  partition: z.string().nullable(),
  /** The job's `#SBATCH` directives, as submitted. */
  request: z.array(z.string()),
  /** GPU indices Slurm allocated on the node (SLURM_JOB_GPUS; every GPU of the node under --exclusive). */
  allocatedGpus: z.array(z.number().int().nonnegative()),
  /** The GPUs the run used: the first gpuCount of the allocation, as CUDA_VISIBLE_DEVICES the pipeline got. */
  usedGpus: z.array(z.number().int().nonnegative()),
  cudaVisibleDevices: z.string().nullable(),
  /** The harness's clock when sbatch accepted the job. */
  submittedAtMs: z.number(),
  /** Seconds from submission to the pipeline's start on the node; null when the job never started. */
  queueSeconds: z.number().nonnegative().nullable(),
  /** Slurm's last word on the job, e.g. COMPLETED, FAILED, CANCELLED, TIMEOUT, and its reason. */
  state: z.string(),
  reason: z.string().nullable(),
  /** Where end state, exit status and times came from: sacct with accounting, else the job's own records. */
  endSource: z.enum(['sacct', 'job-record', 'scontrol', 'squeue', 'sbatch']),
  /** Jobs of the same case submitted together with this one (launcher.concurrent), so they ran side by side. */
  concurrentWith: z.array(z.string()).default([]),
  jobScript: z.string(),
})
export type SlurmJobRecord = z.infer<typeof SlurmJobRecordSchema>
