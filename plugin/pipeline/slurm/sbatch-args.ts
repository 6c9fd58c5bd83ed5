/** The `#SBATCH` directives for one run: what the run needs (GPUs, a whole node) plus the user's launcher options. */
import type { SlurmLauncherConfig } from '../../config/harness-options.ts'

export interface JobRequest {
  jobName: string
  gpuCount: number
  /** Where Slurm writes the batch script's own output (the pipeline's logs go elsewhere). */
  slurmOutput: string
  workDir: string
}

export function sbatchDirectives(launcher: SlurmLauncherConfig, req: JobRequest): string[] {
  const d = [`--job-name=${req.jobName}`, `--output=${req.slurmOutput}`, `--chdir=${req.workDir}`, '--nodes=1', '--ntasks=1']
  // --gres=gpu:N is per node and understood by every Slurm since 2.x; --gpus needs cons_tres.
  if (req.gpuCount > 0) d.push(`--gres=gpu:${req.gpuCount}`)
  if (launcher.exclusive) d.push('--exclusive')
  if (launcher.partition !== undefined) d.push(`--partition=${launcher.partition}`)
  if (launcher.account !== undefined) d.push(`--account=${launcher.account}`)
  if (launcher.qos !== undefined) d.push(`--qos=${launcher.qos}`)
  if (launcher.timeLimit !== undefined) d.push(`--time=${launcher.timeLimit}`)
  // The harness follows the job itself; no mail, no requeue that would rerun a measured pipeline.
  d.push('--no-requeue')
  d.push(...launcher.extraArgs)
  return d
}
