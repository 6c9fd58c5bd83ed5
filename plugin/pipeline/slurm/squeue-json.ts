/**
 * `squeue --json` (Slurm ≥ 21.08) → SlurmJobStatus. Parsed defensively: 22.05 prints plain numbers and a state
 * string, 23.02+ prints `{set, infinite, number}` objects and state lists, and fields come and go between versions.
 * 22.05's --json also ignores `--jobs` and `--states`: it prints every job the controller remembers (ended ones
 * for MinJobAge), so callers pick their job by id and read its state.
 */
import { meaningful, type SlurmJobStatus } from './job-status.ts'

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** 42, "42", or {set: true, number: 42} → 42; {set: false} and 0-as-unset epochs → null. */
function numberField(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  if (isObject(value)) {
    if (value.set === false || value.infinite === true) return null
    return numberField(value.number)
  }
  return null
}

function epochMs(value: unknown): number | null {
  const seconds = numberField(value)
  return seconds === null || seconds <= 0 ? null : seconds * 1000
}

function stateField(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value.toUpperCase()
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0].toUpperCase()
  return 'UNKNOWN'
}

function stringField(value: unknown): string | null {
  return typeof value === 'string' ? meaningful(value) : null
}

/** 22.05: exit_code is the status number; 23.02+: {status: [...], return_code: {number}, signal: {id: {number}}}. */
function exitField(job: Json): { exitCode: number | null; exitSignal: number | null } {
  const raw = job.exit_code
  if (isObject(raw)) {
    const signal = isObject(raw.signal) ? numberField(raw.signal.id) : null
    return { exitCode: numberField(raw.return_code), exitSignal: signal !== null && signal > 0 ? signal : null }
  }
  const code = numberField(raw)
  return { exitCode: code, exitSignal: null }
}

function toStatus(job: Json): SlurmJobStatus {
  return {
    jobId: String(numberField(job.job_id) ?? job.job_id ?? ''),
    state: stateField(job.job_state),
    reason: stringField(job.state_reason),
    nodes: stringField(job.nodes),
    partition: stringField(job.partition),
    submitTimeMs: epochMs(job.submit_time),
    startTimeMs: epochMs(job.start_time),
    endTimeMs: epochMs(job.end_time),
    ...exitField(job),
  }
}

export class SlurmOutputError extends Error {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(`${command}: ${message}`)
    this.name = 'SlurmOutputError'
  }
}

/** Every job in the output; throws SlurmOutputError when the text is not squeue's JSON at all. */
export function parseSqueueJson(text: string): SlurmJobStatus[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new SlurmOutputError('squeue --json', `not JSON (${text.trim().slice(0, 80) || 'empty output'})`)
  }
  if (!isObject(parsed) || !Array.isArray(parsed.jobs)) throw new SlurmOutputError('squeue --json', 'no "jobs" list in the output')
  return parsed.jobs.filter(isObject).map(toStatus)
}
