/** `sbatch --parsable` output and its refusals, as pure functions. */

/** `1234` or `1234;cluster` → '1234'; null when the output holds no job id. */
export function parseSbatchParsable(stdout: string): string | null {
  const line = stdout.trim().split('\n').pop()?.trim() ?? ''
  const m = /^(\d+(?:_\d+)?)(?:;\S+)?$/.exec(line)
  return m?.[1] ?? null
}

export type SubmitRefusal = 'unsatisfiable' | 'invalid-option' | 'no-controller' | 'other'

/**
 * Why sbatch refused a job, from its stderr. 'unsatisfiable': the cluster can never run it as asked (more GPUs than
 * a node has, an unknown partition or constraint) — a request problem, not a pipeline failure.
 */
export function classifySubmitRefusal(stderr: string): { kind: SubmitRefusal; message: string } {
  const lines = stderr.split('\n').map((l) => l.replace(/^sbatch:\s*(error:\s*)?/, '').trim()).filter((l) => l !== '')
  const message = lines.join('; ') || 'sbatch failed without a message'
  if (/Requested node configuration is not available|Invalid generic resource|Invalid partition|Requested partition configuration not available|More processors requested than permitted|Invalid feature specification|Node count specification invalid/i.test(message)) {
    return { kind: 'unsatisfiable', message }
  }
  if (/unrecognized option|invalid option|Invalid --time|Invalid account|Invalid qos/i.test(message)) return { kind: 'invalid-option', message }
  if (/Unable to contact slurm controller|Could not establish a configuration source|Connection refused|Socket timed out/i.test(message)) return { kind: 'no-controller', message }
  return { kind: 'other', message }
}
