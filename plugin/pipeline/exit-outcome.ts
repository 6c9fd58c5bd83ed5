/** Exit status → RunOutcome and words (contract §1.2 exit codes). */
import type { RunOutcome } from '../model/run-result.ts'

export type StopReason = 'timeout' | 'abort' | 'signal'

export interface ExitFacts {
  exitCode: number | null
  signal: string | null
  /** Why the harness stopped the run, if it did. */
  stoppedBy: StopReason | null
  timeoutSeconds: number
  /** Error-severity log findings (contract §6): exit 0 with these is only a partial success. */
  errorFindings: string[]
  /** Click printed `Usage:` … `Error:`: exit 2 was a usage error, not a partial success. */
  usageError: boolean
  /** The command could not be started at all (missing interpreter, bad cwd). */
  spawnError?: string | null
}

export interface Outcome {
  outcome: RunOutcome
  description: string
}

export function classifyExit(f: ExitFacts): Outcome {
  if (f.spawnError) return { outcome: 'failed', description: `could not start the pipeline: ${f.spawnError}` }
  const status = f.exitCode !== null ? `exit ${f.exitCode}` : f.signal !== null ? `killed by ${f.signal}` : 'no exit status'
  if (f.stoppedBy === 'timeout') return { outcome: 'timed-out', description: `timed out after ${f.timeoutSeconds} s; the process group was stopped (${status})` }
  if (f.stoppedBy !== null) return { outcome: 'interrupted', description: `interrupted (${f.stoppedBy === 'abort' ? 'aborted' : 'harness received a signal'}); the process group was stopped (${status})` }
  switch (f.exitCode) {
    case 0:
      return f.errorFindings.length > 0
        ? { outcome: 'partial', description: `exit 0 but the log shows failures: ${f.errorFindings.join(', ')}` }
        : { outcome: 'succeeded', description: 'exit 0: succeeded' }
    case 1:
      return { outcome: 'failed', description: 'exit 1: failed (an exception in the pipeline)' }
    case 2:
      return f.usageError
        ? { outcome: 'failed', description: 'exit 2: usage error (bad option or missing input)' }
        : { outcome: 'partial', description: 'exit 2: partial success or usage error (ambiguous in VirNucPro)' }
    case 4:
      return { outcome: 'out-of-memory', description: 'exit 4: out of memory' }
    case 143:
      return { outcome: 'terminated', description: 'exit 143: terminated (SIGTERM/SIGINT, after the worker grace period)' }
    case null:
      return { outcome: 'terminated', description: f.signal !== null ? `killed by ${f.signal} (not by the harness)` : 'ended without an exit status' }
    default:
      return { outcome: 'failed', description: `exit ${f.exitCode}: failed (unexpected exit code)` }
  }
}
