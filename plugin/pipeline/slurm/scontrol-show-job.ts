/**
 * `scontrol show job <id>` (text; 22.05 has no --json for it) → SlurmJobStatus. The text is `Key=Value` pairs
 * separated by spaces and new lines; a value never contains a space except in the few fields we do not read.
 */
import { meaningful, type SlurmJobStatus } from './job-status.ts'

export function parseKeyValues(text: string): Map<string, string> {
  const pairs = new Map<string, string>()
  for (const token of text.split(/\s+/)) {
    const eq = token.indexOf('=')
    if (eq <= 0) continue
    const key = token.slice(0, eq)
    // The first occurrence wins (e.g. a job array prints one block per task).
    if (!pairs.has(key)) pairs.set(key, token.slice(eq + 1))
  }
  return pairs
}

/** `2026-12-01T09:43:50` (the controller's local time) → epoch ms; Unknown/None → null. */
export function parseSlurmTime(text: string | undefined): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec((text ?? '').trim())
  if (m === null) return null
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number)
  const date = new Date(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0)
  return Number.isNaN(date.getTime()) ? null : date.getTime()
}

/** `ExitCode=3:0` → status 3, signal none; `0:9` → killed by signal 9. */
export function parseExitPair(text: string | undefined): { exitCode: number | null; exitSignal: number | null } {
  const m = /^(\d+):(\d+)$/.exec((text ?? '').trim())
  if (m === null) return { exitCode: null, exitSignal: null }
  const signal = Number(m[2])
  return { exitCode: Number(m[1]), exitSignal: signal > 0 ? signal : null }
}

/** Null when the text is not a job description (e.g. "slurm_load_jobs error: Invalid job id specified"). */
export function parseScontrolShowJob(text: string): SlurmJobStatus | null {
  const kv = parseKeyValues(text)
  const jobId = kv.get('JobId')
  const state = kv.get('JobState')
  if (jobId === undefined || state === undefined) return null
  return {
    jobId,
    state: state.toUpperCase(),
    reason: meaningful(kv.get('Reason')),
    nodes: meaningful(kv.get('NodeList')),
    partition: meaningful(kv.get('Partition')),
    submitTimeMs: parseSlurmTime(kv.get('SubmitTime')),
    startTimeMs: parseSlurmTime(kv.get('StartTime')),
    endTimeMs: parseSlurmTime(kv.get('EndTime')),
    ...parseExitPair(kv.get('ExitCode')),
  }
}
