/**
 * The seam between the runner (run-pipeline.ts: observers, timeout, Ctrl-C, the RunResult) and where the pipeline
 * process actually runs: in place (local.ts) or as a Slurm job on a compute node (slurm.ts).
 */
import type { GpuSample } from '../../metrics/gpu-sample.ts'
import type { Environment } from '../../model/environment.ts'
import type { SlurmJobRecord } from '../../model/scheduler.ts'
import type { SamplerResult } from '../../metrics/gpu-sampler.ts'
import type { LeftoverProcess } from '../../model/run-evidence.ts'
import type { RunLogFinding } from '../../model/run-result.ts'
import type { ProcessIdentity } from '../process-identity.ts'
import type { LogFinding } from '../../metrics/log-findings.ts'
import type { Outcome } from '../exit-outcome.ts'
import type { RunPaths } from '../run-directory.ts'
import type { CommandSpec, RunRequest } from '../target.ts'

export interface LaunchContext {
  spec: CommandSpec
  paths: RunPaths
  req: RunRequest
  sampleIntervalMs: number
  /** The stage running now, to tag GPU samples. */
  stageAt: () => string | null
  /** For tests: a stand-in for nvidia-smi. */
  nvidiaSmi?: string
  /** How long the run's processes may outlive the pipeline before they count as left over (leftoverGraceSeconds). */
  leftoverGraceMs: number
  /** SIGTERM → SIGKILL grace when the launcher ends processes itself. */
  killGraceMs: number
  /** The Python that runs the lifeline supervisor (supervisor.py: standard library only). */
  python: string
  /** Processes whose end stops the run too, e.g. the Vitest main process (a forked worker outlives it). */
  watch: readonly ProcessIdentity[]
}

/** Where the run is, for the progress line: queued on a cluster, or running. */
export type LaunchPhase = { kind: 'queued'; since: number; reason: string | null; jobId: string | null } | { kind: 'running'; since: number }

export interface LaunchExit {
  exitCode: number | null
  signal: string | null
  spawnError: string | null
  /** The pipeline command's own start and end (on a cluster: the node's clock, queue time excluded). */
  startedAtMs: number
  endedAtMs: number
  /** Findings of the launcher itself (left-over processes, jobs left behind), as log findings or stored ones. */
  findings: (LogFinding | RunLogFinding)[]
  /** Processes of the run that outlived the pipeline past the grace period (then ended), with pid, command and age. */
  leftoverProcesses?: LeftoverProcess[]
  /** The run was stopped from outside the harness's own stop (the supervisor saw a watched process end, a signal). */
  stoppedBySupervisor?: boolean
  /** Set when the launcher knows better than the exit status (a scheduler refusal, Slurm's own time limit). */
  outcome?: Outcome
  scheduler?: SlurmJobRecord
  /** GPU indices the sampler should count as the run's (on a cluster: those of the allocation). */
  assignedGpus?: number[]
  /** Where the command really ran, when not here (a compute node): host, CPUs, memory, GPUs. */
  environment?: Partial<Pick<Environment, 'host' | 'cpuModel' | 'cpuCount' | 'memoryBytes' | 'gpus' | 'driverVersion'>>
}

export interface RunSampler {
  readonly samples: GpuSample[]
  stop(): Promise<SamplerResult>
}

export interface LaunchedRun {
  readonly sampler: RunSampler
  /** Resolves when the pipeline command starts (immediately in place, after the queue on a cluster). */
  readonly started: Promise<number>
  phase(): LaunchPhase
  /** Ask the run to end: SIGTERM (scancel --signal=TERM on a cluster), `graceMs`, then a hard kill (scancel). */
  stop(graceMs: number): Promise<unknown>
  /** Resolves once nothing of the run is left running. */
  readonly exited: Promise<LaunchExit>
}

export interface Launcher {
  launch(ctx: LaunchContext): Promise<LaunchedRun>
}
