/**
 * The job's own records: the job script appends `key=value` lines to `slurm-job.env` in the run folder as it goes
 * (who and where it ran, the GPUs it got, when the pipeline started and ended, its exit status). They are the
 * source of truth for run time and exit status when the cluster has no accounting (no sacct), and they survive the
 * job leaving squeue.
 */

export const JOB_RECORD_FILE = 'slurm-job.env'

export interface JobRecord {
  jobId: string | null
  node: string | null
  partition: string | null
  /** SLURM_JOB_GPUS: the GPU indices Slurm allocated on the node (all of them under --exclusive). */
  allocatedGpus: number[]
  /** CUDA_VISIBLE_DEVICES as Slurm set it, and as the pipeline got it (narrowed to the GPUs the run asked for). */
  allocatedCudaVisibleDevices: string | null
  cudaVisibleDevices: string | null
  /** The compute node's clock, epoch ms, around the pipeline command only. */
  startedAtMs: number | null
  endedAtMs: number | null
  exitCode: number | null
  /** The signal the job script received (scancel, time limit), if any. */
  signalReceived: string | null
  sampler: string | null
  /** Set when the job cancelled itself because the harness stopped renewing its heartbeat. */
  lifelineLost: string | null
  /** The node's CPU model, logical CPU count and memory, as the job saw them. */
  cpuModel: string | null
  cpuCount: number | null
  memoryBytes: number | null
}

function int(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return null
  return Number(text.trim())
}

export function indexList(text: string | null | undefined): number[] {
  return (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
}

/** Later lines win, so a re-run of a step (requeue) overwrites the earlier value. Unknown keys are ignored. */
export function parseJobRecord(text: string): JobRecord {
  const kv = new Map<string, string>()
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) kv.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim())
  }
  const str = (key: string): string | null => {
    const v = kv.get(key)
    return v === undefined || v === '' ? null : v
  }
  return {
    jobId: str('job_id'),
    node: str('node'),
    partition: str('partition'),
    allocatedGpus: indexList(str('job_gpus')),
    allocatedCudaVisibleDevices: kv.get('allocated_cuda_visible_devices') ?? null,
    cudaVisibleDevices: kv.get('cuda_visible_devices') ?? null,
    startedAtMs: int(kv.get('started_ms')),
    endedAtMs: int(kv.get('ended_ms')),
    exitCode: int(kv.get('exit_code')),
    signalReceived: str('signal_received'),
    sampler: str('sampler'),
    lifelineLost: str('lifeline_lost'),
    cpuModel: str('cpu_model'),
    cpuCount: int(kv.get('cpu_count')),
    memoryBytes: int(kv.get('mem_kib')) === null ? null : (int(kv.get('mem_kib')) ?? 0) * 1024,
  }
}
