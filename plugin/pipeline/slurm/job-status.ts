/**
 * What the harness knows about one Slurm job at one moment, whichever command told it (squeue --json, scontrol
 * show job, sacct). Pure types and small helpers; parsing lives in the files named after each command.
 */

/** Slurm's job states that mean the job will not run any more (squeue/scontrol spelling). */
export const TERMINAL_STATES = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT'] as const

export interface SlurmJobStatus {
  jobId: string
  /** Upper case, e.g. PENDING, RUNNING, COMPLETING, COMPLETED, CANCELLED; 'UNKNOWN' when no command said. */
  state: string
  /** Why a job pends or ended, e.g. Resources, Priority, BadConstraints; null for None. */
  reason: string | null
  /** Node list (one node for our jobs); null while pending. */
  nodes: string | null
  partition: string | null
  submitTimeMs: number | null
  startTimeMs: number | null
  endTimeMs: number | null
  /** The batch script's exit status and the signal that ended it, where Slurm reports them. */
  exitCode: number | null
  exitSignal: number | null
}

export function isTerminal(state: string): boolean {
  return (TERMINAL_STATES as readonly string[]).includes(state.toUpperCase())
}

export function isPending(state: string): boolean {
  return state.toUpperCase() === 'PENDING' || state.toUpperCase() === 'REQUEUED' || state.toUpperCase() === 'CONFIGURING'
}

/** "None", "(null)", "N/A", "Unknown" and empty mean: not set. */
export function meaningful(text: string | null | undefined): string | null {
  const t = (text ?? '').trim()
  return t === '' || /^(none|\(null\)|n\/a|unknown)$/i.test(t) ? null : t
}

/**
 * Pending reasons that mean this job, as asked, will never start (a per-job limit or a partition's bounds): the
 * harness cancels it and reports the request instead of waiting forever. Reasons such as Resources, Priority or
 * ReqNodeNotAvail (nodes down for now) are waits, not refusals.
 */
const NEVER_STARTS = /^(BadConstraints|PartitionConfig|PartitionNodeLimit|PartitionTimeLimit|InvalidAccount|InvalidQOS|QOSMax\w*PerJob|AssocMax\w*PerJob|QOSMinGRES|MaxGRESPerAccount)/

export function neverStarts(reason: string | null): boolean {
  return reason !== null && NEVER_STARTS.test(reason)
}
