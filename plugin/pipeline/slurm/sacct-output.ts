/**
 * `sacct -j <id> -X -n -P -o JobID,State,ExitCode,ElapsedRaw,Start,End,NodeList` → the job's end facts, or null
 * when accounting is off ("Slurm accounting storage is disabled", printed with exit status 0) or has no record yet.
 */
import { meaningful, type SlurmJobStatus } from './job-status.ts'
import { parseExitPair, parseSlurmTime } from './scontrol-show-job.ts'

export const SACCT_FIELDS = ['JobID', 'State', 'ExitCode', 'ElapsedRaw', 'Start', 'End', 'NodeList', 'Partition', 'Submit'] as const

export interface SacctRecord extends SlurmJobStatus {
  elapsedSeconds: number | null
}

export function accountingDisabled(text: string): boolean {
  return /accounting storage is disabled/i.test(text)
}

export function parseSacct(stdout: string, jobId: string): SacctRecord | null {
  if (accountingDisabled(stdout)) return null
  for (const line of stdout.split('\n')) {
    const f = line.trim().split('|')
    if (f.length < SACCT_FIELDS.length || f[0] !== jobId) continue
    // sacct prints "CANCELLED by 0": the state is the first word.
    const state = (f[1] ?? '').split(' ')[0]?.toUpperCase() ?? 'UNKNOWN'
    const elapsed = Number(f[3])
    return {
      jobId,
      state,
      reason: null,
      nodes: meaningful(f[6]),
      partition: meaningful(f[7]),
      submitTimeMs: parseSlurmTime(f[8]),
      startTimeMs: parseSlurmTime(f[4]),
      endTimeMs: parseSlurmTime(f[5]),
      elapsedSeconds: f[3] !== '' && Number.isFinite(elapsed) ? elapsed : null,
      ...parseExitPair(f[2]),
    }
  }
  return null
}
