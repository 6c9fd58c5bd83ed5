/**
 * Runs one pipeline execution end to end: fresh run directory, the command under the lifeline supervisor (its own
 * process group, ended when the harness ends, however it ends), live observers (state file, logs, GPU sampler,
 * progress), timeout and Ctrl-C handling that leave nothing running, and one validated RunResult (also written to
 * `result.json`, partially as soon as a run is being stopped).
 */
import type { ProgressMode } from '../config/harness-options.ts'
import type { Environment, PythonInfo } from '../model/environment.ts'
import { RunResultSchema, type RunResult, type StageTiming } from '../model/run-result.ts'
import type { GpuTelemetry } from '../model/telemetry.ts'
import type { ErrorLines, OutputInventory } from '../model/run-result.ts'
import type { SamplerResult } from '../metrics/gpu-sampler.ts'
import { summariseTelemetry, type TimeWindow } from '../metrics/gpu-summary.ts'
import { writeTimelineArrow } from '../metrics/gpu-timeline-arrow.ts'
import type { LogFinding } from '../metrics/log-findings.ts'
import { LogFollower } from '../metrics/log-follower.ts'
import { LogParser } from '../metrics/log-parser.ts'
import { listOutputFiles } from '../metrics/list-output.ts'
import { inventoryFromPaths } from '../metrics/output-inventory.ts'
import { readErrorLines } from '../metrics/read-error-lines.ts'
import { currentStage } from '../metrics/pipeline-state.ts'
import { ProgressDisplay, progressStyle } from '../metrics/progress-display.ts'
import { runCounts, stageBreakdown } from '../metrics/stage-breakdown.ts'
import { StateFilePoller } from '../metrics/state-file-poller.ts'
import { classifyExit, type Outcome, type StopReason } from './exit-outcome.ts'
import { DEFAULT_LEFTOVER_GRACE_SECONDS } from './leftover-processes.ts'
import type { LaunchExit, Launcher, RunSampler } from './launchers/launcher.ts'
import { LocalLauncher } from './launchers/local.ts'
import type { SlurmJobRecord } from '../model/scheduler.ts'
import { withRunEvidence } from '../metrics/run-evidence.ts'
import type { ProcessIdentity } from './process-identity.ts'
import { writeJsonAtomic } from '../io/files.ts'
import { createRunDirectory, type RunPaths } from './run-directory.ts'
import type { PipelineTarget, PlacedRequest, RunRequest } from './target.ts'

/** Grace between SIGTERM and SIGKILL for a target that names none of its own. */
export const DEFAULT_KILL_GRACE_SECONDS = 45

export interface RunOptions {
  runsDir: string
  timeoutSeconds: number
  sampleIntervalMs: number
  progress: ProgressMode
  signal?: AbortSignal
  python: PythonInfo
  environment: Environment
  /** Seconds between SIGTERM and SIGKILL of the process group (default: the target's stopGraceSeconds, else 45). */
  killGraceSeconds?: number
  /** Seconds a process of the group may outlive the parent before it counts as left over (default 3). */
  leftoverGraceSeconds?: number
  /**
   * Processes whose end stops the run too (the supervisor polls them), e.g. the Vitest main process: a forked
   * worker outlives a killed main process and would otherwise keep the lifeline open.
   */
  watch?: readonly ProcessIdentity[]
  /** State-file poll period (default 1 s). */
  statePollMs?: number
  /** For tests: a stand-in for nvidia-smi. */
  nvidiaSmi?: string
  /** Where the command runs; in place (LocalLauncher) by default. */
  launcher?: Launcher
}

interface LiveRun {
  paths: RunPaths
  target: PipelineTarget
  req: PlacedRequest
  command: string[]
  poller: StateFilePoller
  log: LogParser
  /** Until the launcher reports the command's start: when the harness began launching it. */
  startedAtMs: number
  version: string | null
  opts: RunOptions
}

interface Ending {
  endedAtMs: number
  exitCode: number | null
  signal: string | null
  stoppedBy: StopReason | null
  spawnError: string | null
  extraFindings: LaunchExit['findings']
  gpu: GpuTelemetry
  errorLines?: ErrorLines
  outputs?: OutputInventory | null
  /** The launcher's verdict where it knows better than the exit status (e.g. the scheduler refused the job). */
  outcome?: Outcome
  scheduler?: SlurmJobRecord
  /** What the launcher knows of the machine the command ran on, over the harness's own environment. */
  environment?: LaunchExit['environment']
}

function stageWindows(stages: readonly StageTiming[], endedAtMs: number): { stages: TimeWindow[]; embedding: TimeWindow | null } {
  const windows = stages
    .filter((s) => s.startedAtMs !== null)
    .map((s) => ({ name: s.stage, startMs: s.startedAtMs ?? 0, endMs: s.completedAtMs ?? endedAtMs, sequences: s.recordsIn }))
  const dnabert = stages.find((s) => s.stage === 'NUCLEOTIDE_FEATURES')
  const esm = stages.find((s) => s.stage === 'PROTEIN_FEATURES')
  const embedding =
    dnabert?.startedAtMs != null && esm?.startedAtMs != null
      ? { name: 'embedding', startMs: dnabert.startedAtMs, endMs: esm.completedAtMs ?? endedAtMs, sequences: esm.recordsIn ?? dnabert.recordsIn }
      : null
  return { stages: windows, embedding }
}

function buildResult(live: LiveRun, end: Ending): RunResult {
  const state = live.poller.state
  const log = live.log.summary()
  const counts = runCounts(log, state)
  const stages = stageBreakdown(state, log, counts)
  const findings = [...log.findings, ...end.extraFindings]
  const exit = end.outcome ?? classifyExit({
    exitCode: end.exitCode,
    signal: end.signal,
    stoppedBy: end.stoppedBy,
    timeoutSeconds: live.opts.timeoutSeconds,
    errorFindings: findings.filter((f) => f.severity === 'error').map((f) => f.code),
    usageError: log.usageError,
    spawnError: end.spawnError,
  })
  return RunResultSchema.parse({
    id: live.paths.id,
    target: { kind: live.target.kind, name: live.target.name, version: live.version },
    mode: live.req.mode,
    device: live.req.gpus.length > 0 ? 'cuda' : 'cpu',
    gpuCount: live.req.gpus.length,
    sample: { name: live.req.sample.name, path: live.req.sample.path, records: counts.inputRecords },
    command: live.command,
    runDir: live.paths.runDir,
    outputDir: live.paths.outputDir,
    startedAtMs: live.startedAtMs,
    endedAtMs: end.endedAtMs,
    wallSeconds: (end.endedAtMs - live.startedAtMs) / 1000,
    pipelineWallSeconds: log.pipelineWallSeconds,
    exitCode: end.exitCode,
    signal: end.signal,
    outcome: exit.outcome,
    outcomeDescription: exit.description,
    stages,
    counts,
    gpu: end.gpu,
    logFindings: findings,
    logs: { stdout: live.paths.stdout, stderr: live.paths.stderr },
    errorLines: end.errorLines ?? { stdout: [], stderr: [] },
    outputs: end.outputs ?? null,
    environment: { ...live.opts.environment, ...end.environment },
    ...(end.scheduler ? { scheduler: end.scheduler } : {}),
  })
}

async function finishTelemetry(live: LiveRun, sampled: SamplerResult, endedAtMs: number, assignedGpus: readonly number[] = live.req.gpus): Promise<GpuTelemetry> {
  if (sampled.status === 'unavailable') return { status: 'unavailable', reason: sampled.reason }
  const log = live.log.summary()
  const counts = runCounts(log, live.poller.state)
  const windows = stageWindows(stageBreakdown(live.poller.state, log, counts), endedAtMs)
  let timelinePath: string | null = live.paths.timeline
  try {
    await writeTimelineArrow(live.paths.timeline, sampled.samples)
  } catch {
    timelinePath = null
  }
  return summariseTelemetry({
    samples: sampled.samples,
    run: { name: 'run', startMs: live.startedAtMs, endMs: endedAtMs, sequences: counts.orfFrames },
    stages: windows.stages,
    embedding: windows.embedding,
    assignedGpus: [...assignedGpus],
    intervalMs: live.opts.sampleIntervalMs,
    source: sampled.source,
    samplerCpuPercent: sampled.cpuPercent,
    timelinePath,
    samplingGap: sampled.gap,
  })
}

function latestGpu(sampler: RunSampler, gpus: readonly number[]): { util: number | null; memGiB: number | null } {
  const latest = new Map<number, { u: number | null; m: number | null }>()
  for (let i = sampler.samples.length - 1; i >= 0 && i >= sampler.samples.length - 64; i--) {
    const s = sampler.samples[i]
    if (s !== undefined && !latest.has(s.gpu) && (gpus.length === 0 || gpus.includes(s.gpu))) latest.set(s.gpu, { u: s.utilisationPct, m: s.memoryUsedMiB })
  }
  const vals = [...latest.values()]
  if (vals.length === 0) return { util: null, memGiB: null }
  const utils = vals.map((v) => v.u).filter((u): u is number => u !== null)
  return {
    util: utils.length ? utils.reduce((a, b) => a + b, 0) / utils.length : null,
    memGiB: vals.reduce((a, v) => a + (v.m ?? 0), 0) / 1024,
  }
}


export async function runPipeline(target: PipelineTarget, req: RunRequest, opts: RunOptions): Promise<RunResult> {
  // The runner settles where the output goes and returns it (RunResult.outputDir); the target says what lands there.
  const paths = await createRunDirectory(opts.runsDir, req.sample.name, req.mode, req.gpus.length, req.outputDir)
  const request: PlacedRequest = { ...req, outputDir: paths.outputDir }
  const layout = target.outputLayout(paths.outputDir, req.sample.path)
  const spec = target.buildCommand(request, opts.python)
  const command = [spec.file, ...spec.args]
  await writeJsonAtomic(paths.command, { command, env: spec.env, cwd: spec.cwd, request })
  const version = await target.version().catch(() => null)

  const log = new LogParser()
  const poller = new StateFilePoller(layout.stateFile, opts.statePollMs ?? 1000)
  const followers = [new LogFollower(paths.stdout, (l) => log.pushLine(l)), new LogFollower(paths.stderr, (l) => log.pushLine(l))]
  const stageNow = (): string | null => currentStage(poller.state) ?? log.summary().currentStage
  const display = new ProgressDisplay(`${req.sample.name} ${req.mode} ${req.gpus.length === 0 ? 'CPU' : `${req.gpus.length} GPU`}`, progressStyle(opts.progress, process.stderr.isTTY === true))

  // --- launcher seam (issue 18): where the command runs (in place, or as a Slurm job) is the launcher's business.
  const launcher = opts.launcher ?? new LocalLauncher()
  const graceMs = (opts.killGraceSeconds ?? target.stopGraceSeconds ?? DEFAULT_KILL_GRACE_SECONDS) * 1000
  const launched = await launcher.launch({
    spec,
    paths,
    req: request,
    sampleIntervalMs: opts.sampleIntervalMs,
    stageAt: stageNow,
    leftoverGraceMs: (opts.leftoverGraceSeconds ?? DEFAULT_LEFTOVER_GRACE_SECONDS) * 1000,
    killGraceMs: graceMs,
    python: opts.python.executable,
    watch: opts.watch ?? [],
    ...(opts.nvidiaSmi ? { nvidiaSmi: opts.nvidiaSmi } : {}),
  })
  const sampler = launched.sampler
  // --- end of launcher seam

  const live: LiveRun = { paths, target, req: request, command, poller, log, startedAtMs: Date.now(), version, opts }
  poller.start()
  for (const f of followers) f.start()

  let stoppedBy: StopReason | null = null
  let receivedSignal: NodeJS.Signals | null = null
  let stopping: Promise<unknown> = Promise.resolve()
  const stop = (reason: StopReason): void => {
    if (stoppedBy !== null) return
    stoppedBy = reason
    // Record what is known now, in case the harness itself is killed during the grace period.
    const partial = buildResult(live, { endedAtMs: Date.now(), exitCode: null, signal: null, stoppedBy: reason, spawnError: null, extraFindings: [], gpu: { status: 'unavailable', reason: 'run interrupted before sampling finished' } })
    stopping = Promise.all([writeJsonAtomic(paths.result, partial).catch(() => undefined), launched.stop(graceMs)])
  }
  // The timeout counts run time only: on a cluster it starts when the job does, not while it is queued.
  let timer: NodeJS.Timeout | undefined
  void launched.started.then((at) => {
    live.startedAtMs = at
    if (stoppedBy === null) timer = setTimeout(() => stop('timeout'), Math.max(0, opts.timeoutSeconds * 1000 - (Date.now() - at)))
  })
  const onAbort = (): void => stop('abort')
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  if (opts.signal?.aborted === true) stop('abort')
  const onSignal = (sig: NodeJS.Signals): void => {
    receivedSignal = sig
    stop('signal')
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const ticker = setInterval(() => {
    const gpu = latestGpu(sampler, req.gpus)
    const phase = launched.phase()
    const pending = phase.kind === 'queued' ? { reason: phase.reason, jobId: phase.jobId } : null
    display.update({ stage: currentStage(poller.state) ?? log.summary().currentStage, elapsedMs: Date.now() - phase.since, gpuUtilPct: gpu.util, gpuMemGiB: gpu.memGiB, pending })
  }, 1000)
  ticker.unref()

  const exited = await launched.exited
  if (exited.stoppedBySupervisor === true && stoppedBy === null) stoppedBy = 'signal'
  live.startedAtMs = exited.startedAtMs
  const endedAtMs = exited.endedAtMs
  await stopping
  clearTimeout(timer)
  clearInterval(ticker)
  opts.signal?.removeEventListener('abort', onAbort)
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)

  await Promise.all([...followers.map((f) => f.stop()), poller.stop()])
  const sampled = await sampler.stop()
  const gpu = await finishTelemetry(live, sampled, endedAtMs, exited.assignedGpus)
  const errorLines = { stdout: await readErrorLines(paths.stdout), stderr: await readErrorLines(paths.stderr) }
  const outputs = inventoryFromPaths(await listOutputFiles(paths.outputDir))
  const measured = buildResult(live, {
    endedAtMs,
    exitCode: exited.exitCode,
    signal: exited.signal,
    stoppedBy,
    spawnError: exited.spawnError,
    extraFindings: exited.findings,
    gpu,
    errorLines,
    outputs,
    ...(exited.outcome ? { outcome: exited.outcome } : {}),
    ...(exited.scheduler ? { scheduler: exited.scheduler } : {}),
    ...(exited.environment ? { environment: exited.environment } : {}),
  })
  const result = withRunEvidence(
    { ...measured, leftoverProcesses: exited.leftoverProcesses ?? [] },
    { log: log.summary(), samples: sampled.status === 'sampled' ? sampled.samples : null, stateConfig: poller.state?.config ?? null },
  )
  await writeJsonAtomic(paths.result, result)
  display.finish(`${result.outcomeDescription} · ${result.wallSeconds.toFixed(1)} s · ${paths.runDir}`)
  if (receivedSignal !== null && process.listenerCount(receivedSignal) === 0) {
    // Ctrl-C was for the whole harness: now that nothing is left running, let it take its default course.
    process.kill(process.pid, receivedSignal)
  }
  return result
}
