/**
 * Which Slurm jobs this harness has submitted: `slurm-job.json` in each run folder (so a later harness can find jobs
 * an earlier one left behind), and a process-wide set of live job ids that an exiting harness cancels.
 */
import { readdir, readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import type { RunLogFinding } from '../../model/run-result.ts'
import { writeJsonAtomic } from '../../io/files.ts'
import { activeJobs, cancelJob, cancelJobsSync } from './slurm-cli.ts'

export const JOB_LEDGER_FILE = 'slurm-job.json'

export const JobLedgerEntrySchema = z.object({
  jobId: z.string(),
  runDir: z.string(),
  submittedAtMs: z.number(),
  harnessPid: z.number().int(),
  harnessHost: z.string(),
  /** False until the harness has followed the job to its end. */
  finished: z.boolean(),
  /** Set once a later harness reported this job as left behind, so it is reported once. */
  leftBehindReportedAtMs: z.number().optional(),
})
export type JobLedgerEntry = z.infer<typeof JobLedgerEntrySchema>

export async function recordJob(entry: JobLedgerEntry): Promise<void> {
  await writeJsonAtomic(path.join(entry.runDir, JOB_LEDGER_FILE), entry)
}

const live = new Set<string>()
let exitHookInstalled = false

/** Tracks a job until it ends; a harness that exits (even through process.exit) cancels what is still tracked. */
export function trackJob(jobId: string): void {
  live.add(jobId)
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => cancelJobsSync([...live]))
}

export function untrackJob(jobId: string): void {
  live.delete(jobId)
}

function harnessAlive(entry: JobLedgerEntry): boolean {
  if (entry.harnessHost !== hostname() || entry.harnessPid === process.pid) return entry.harnessPid === process.pid
  try {
    process.kill(entry.harnessPid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Jobs submitted by an earlier harness that never saw them end: still active ones are cancelled (nobody follows
 * them, and they would hold nodes), ended ones are only reported. Jobs of a harness still alive are left alone.
 */
export async function reportJobsLeftBehind(runsDir: string): Promise<RunLogFinding[]> {
  let names: string[]
  try {
    names = await readdir(runsDir)
  } catch {
    return []
  }
  const findings: RunLogFinding[] = []
  for (const name of names) {
    const file = path.join(runsDir, name, JOB_LEDGER_FILE)
    let entry: JobLedgerEntry
    try {
      entry = JobLedgerEntrySchema.parse(JSON.parse(await readFile(file, 'utf8')))
    } catch {
      continue
    }
    if (entry.finished || entry.leftBehindReportedAtMs !== undefined || harnessAlive(entry)) continue
    const active = (await activeJobs([entry.jobId])).length > 0
    if (active) await cancelJob(entry.jobId)
    findings.push({
      severity: 'warning',
      code: 'slurm-job-left-behind',
      message: `Slurm job ${entry.jobId} of run ${entry.runDir} was left behind by harness ${entry.harnessPid}@${entry.harnessHost}${active ? ' and was still queued or running: cancelled it' : ' (it has ended)'}`,
      count: 1,
      stage: null,
      firstLine: null,
      workers: [],
    })
    await writeJsonAtomic(file, { ...entry, leftBehindReportedAtMs: Date.now() })
  }
  return findings
}
