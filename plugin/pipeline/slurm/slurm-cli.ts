/**
 * The Slurm commands the launcher uses, run with execa (the edge of the Slurm layer: parsing is in the pure files
 * next to this one). Every call has a time limit: a hung controller must not hang the harness.
 */
import { execFileSync } from 'node:child_process'
import { execa } from 'execa'
import { isTerminal, type SlurmJobStatus } from './job-status.ts'
import { parseSacct, SACCT_FIELDS, accountingDisabled, type SacctRecord } from './sacct-output.ts'
import { classifySubmitRefusal, parseSbatchParsable, type SubmitRefusal } from './sbatch-output.ts'
import { parseScontrolShowJob } from './scontrol-show-job.ts'
import { maxGpusPerNode } from './sinfo-gres.ts'
import { parseSqueueJson, SlurmOutputError } from './squeue-json.ts'

const CALL_TIMEOUT_MS = 30_000

export type SubmitResult = { ok: true; jobId: string } | { ok: false; kind: SubmitRefusal; message: string }

async function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | null; error: string | null }> {
  const r = await execa(file, args, { reject: false, timeout: CALL_TIMEOUT_MS, stdin: 'ignore' })
  const error = r.exitCode === undefined ? (r.shortMessage ?? `${file} could not run`) : null
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? null, error }
}

export async function submitJob(scriptPath: string): Promise<SubmitResult> {
  const r = await run('sbatch', ['--parsable', scriptPath])
  if (r.error !== null) return { ok: false, kind: 'no-controller', message: r.error.includes('ENOENT') ? 'sbatch not found: run the harness on a Slurm login node (or set launcher.kind to local)' : r.error }
  const jobId = r.exitCode === 0 ? parseSbatchParsable(r.stdout) : null
  if (jobId !== null) return { ok: true, jobId }
  return { ok: false, ...classifySubmitRefusal(r.stderr || r.stdout) }
}

/**
 * The job as the controller sees it now: squeue --json first (22.05 prints every remembered job; we pick ours),
 * scontrol's text when squeue has no JSON or no such job; null when the controller has forgotten the job.
 */
export async function jobStatus(jobId: string): Promise<SlurmJobStatus | null> {
  const q = await run('squeue', ['--json', `--jobs=${jobId}`])
  if (q.exitCode === 0) {
    try {
      const found = parseSqueueJson(q.stdout).find((j) => j.jobId === jobId)
      if (found !== undefined) return found
    } catch (error) {
      if (!(error instanceof SlurmOutputError)) throw error
      // An older squeue without --json, or a plugin that printed something else: scontrol below.
    }
  }
  const s = await run('scontrol', ['show', 'job', jobId])
  return s.exitCode === 0 ? parseScontrolShowJob(s.stdout) : null
}

/** sacct's record of the job, or 'disabled' when the cluster keeps no accounting (no slurmdbd). */
export async function accountingRecord(jobId: string): Promise<SacctRecord | 'disabled' | null> {
  const r = await run('sacct', ['-j', jobId, '-X', '-n', '-P', '-o', SACCT_FIELDS.join(',')])
  if (r.error !== null) return 'disabled'
  if (accountingDisabled(r.stdout + r.stderr)) return 'disabled'
  return r.exitCode === 0 ? parseSacct(r.stdout, jobId) : null
}

/** SIGTERM to every process of the job (batch step included), without cancelling it: the pipeline's grace. */
export async function signalJob(jobId: string, signal: 'TERM' | 'INT'): Promise<void> {
  await run('scancel', ['--full', `--signal=${signal}`, jobId])
}

export async function cancelJob(jobId: string): Promise<void> {
  await run('scancel', [jobId])
}

/** For process exit handlers, where nothing asynchronous runs any more. */
export function cancelJobsSync(jobIds: readonly string[]): void {
  if (jobIds.length === 0) return
  try {
    execFileSync('scancel', [...jobIds], { stdio: 'ignore', timeout: 10_000 })
  } catch {
    // Nothing more can be done while exiting; the jobs' heartbeat watchdog ends them.
  }
}

/** The most GPUs any node of the partition (or the default partition) offers, from sinfo's Gres column. */
export async function gpusPerNode(partition?: string): Promise<number> {
  const r = await run('sinfo', ['--noheader', '-o', '%G', ...(partition === undefined ? [] : ['-p', partition])])
  if (r.exitCode !== 0) throw new Error(`sinfo failed (${(r.error ?? r.stderr).trim() || `exit ${r.exitCode}`}); set launcher.gpusPerNode (BENCH_SLURM_GPUS_PER_NODE) or check the Slurm client`)
  return maxGpusPerNode(r.stdout)
}

/** Job ids among `jobIds` that are still queued or running. */
export async function activeJobs(jobIds: readonly string[]): Promise<string[]> {
  const active: string[] = []
  for (const id of jobIds) {
    const status = await jobStatus(id)
    if (status !== null && !isTerminal(status.state)) active.push(id)
  }
  return active
}
