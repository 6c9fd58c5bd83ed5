/**
 * Runs one pipeline execution end to end: fresh run directory, the command under the lifeline supervisor (its own
 * process group, ended when the harness ends, however it ends), live observers (state file, logs, GPU sampler,
 * progress), timeout and Ctrl-C handling that leave nothing running, and one validated RunResult (also written to
 * `result.json`, partially as soon as a run is being stopped).
 */
import { closeSync, existsSync, openSync } from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import type { ProgressMode } from '../config/harness-options.ts'
import type { Environment, PythonInfo } from '../model/environment.ts'
import { RunResultSchema, type RunResult, type StageTiming } from '../model/run-result.ts'
import type { GpuTelemetry } from '../model/telemetry.ts'
import { GpuSampler, type SamplerResult } from '../metrics/gpu-sampler.ts'
import { summariseTelemetry, type TimeWindow } from '../metrics/gpu-summary.ts'
import { writeTimelineArrow } from '../metrics/gpu-timeline-arrow.ts'
import type { LogFinding } from '../metrics/log-findings.ts'
import { LogFollower } from '../metrics/log-follower.ts'
import { LogParser } from '../metrics/log-parser.ts'
import { currentStage } from '../metrics/pipeline-state.ts'
import { ProgressDisplay, progressStyle } from '../metrics/progress-display.ts'
import { runCounts, stageBreakdown } from '../metrics/stage-breakdown.ts'
import { StateFilePoller } from '../metrics/state-file-poller.ts'
import { classifyExit, type StopReason } from './exit-outcome.ts'
import { stopProcessGroup, groupAlive } from './process-group.ts'
import { identify, isSameProcessAlive, type ProcessIdentity } from './process-identity.ts'
import { createRunDirectory, writeJsonAtomic, type RunPaths } from './run-directory.ts'
import { readSupervisorStatus, supervisedArgv, SUPERVISOR_STATUS_FILE, type SupervisorStatus } from './supervisor.ts'
import type { PipelineTarget, RunRequest } from './target.ts'

/** Grace between SIGTERM and SIGKILL for a target that names none of its own. */
export const DEFAULT_KILL_GRACE_SECONDS = 45
/** Leftover workers after a normal exit get this long after SIGTERM. */
const LEFTOVER_GRACE_MS = 5000

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
  /**
   * Processes whose end stops the run too (the supervisor polls them), e.g. the Vitest main process: a forked
   * worker outlives a killed main process and would otherwise keep the lifeline open.
   */
  watch?: readonly ProcessIdentity[]
  /** State-file poll period (default 1 s). */
  statePollMs?: number
  /** For tests: a stand-in for nvidia-smi. */
  nvidiaSmi?: string
}

interface LiveRun {
  paths: RunPaths
  target: PipelineTarget
  req: RunRequest
  command: string[]
  poller: StateFilePoller
  log: LogParser
  /** The pipeline's spawn time, once the supervisor has reported it (the harness's own clock until then). */
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
  extraFindings: LogFinding[]
  gpu: GpuTelemetry
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
  const exit = classifyExit({
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
    environment: live.opts.environment,
  })
}

async function finishTelemetry(live: LiveRun, sampled: SamplerResult, endedAtMs: number): Promise<GpuTelemetry> {
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
    assignedGpus: live.req.gpus,
    intervalMs: live.opts.sampleIntervalMs,
    source: sampled.source,
    samplerCpuPercent: sampled.cpuPercent,
    timelinePath,
    samplingGap: sampled.gap,
  })
}

function latestGpu(sampler: GpuSampler, gpus: readonly number[]): { util: number | null; memGiB: number | null } {
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

/** Why the pipeline never started, or null: a missing folder, the supervisor's own report, or the supervisor failing. */
function spawnErrorOf(cwdMissing: string | null, status: SupervisorStatus | null, exited: { exitCode?: number; signal?: string; shortMessage?: string }): string | null {
  if (cwdMissing !== null) return cwdMissing
  if (status?.error != null) return status.error
  if (status?.pipeline == null) {
    if (exited.exitCode === undefined && exited.signal === undefined) return exited.shortMessage ?? 'could not start the supervisor'
    return `the supervisor ended before starting the pipeline (${exited.exitCode !== undefined ? `exit ${exited.exitCode}` : `signal ${exited.signal ?? '?'}`})`
  }
  return null
}

export async function runPipeline(target: PipelineTarget, req: RunRequest, opts: RunOptions): Promise<RunResult> {
  const paths = await createRunDirectory(opts.runsDir, req.sample.name, req.mode, req.gpus.length, req.outputDir || undefined)
  const request: RunRequest = { ...req, outputDir: paths.outputDir }
  const spec = target.buildCommand(request, opts.python)
  const command = [spec.file, ...spec.args]
  await writeJsonAtomic(paths.command, { command, env: spec.env, cwd: spec.cwd, request })
  const version = await target.version().catch(() => null)

  const log = new LogParser()
  const poller = StateFilePoller.forOutputDir(paths.outputDir, opts.statePollMs ?? 1000)
  const followers = [new LogFollower(paths.stdout, (l) => log.pushLine(l)), new LogFollower(paths.stderr, (l) => log.pushLine(l))]
  const stageNow = (): string | null => currentStage(poller.state) ?? log.summary().currentStage
  const sampler = await GpuSampler.start({ intervalMs: opts.sampleIntervalMs, stageAt: stageNow, ...(opts.nvidiaSmi ? { command: opts.nvidiaSmi } : {}) })
  const display = new ProgressDisplay(`${req.sample.name} ${req.mode} ${req.gpus.length === 0 ? 'CPU' : `${req.gpus.length} GPU`}`, progressStyle(opts.progress, process.stderr.isTTY === true))

  const graceSeconds = opts.killGraceSeconds ?? target.stopGraceSeconds ?? DEFAULT_KILL_GRACE_SECONDS
  const graceMs = graceSeconds * 1000
  const watch = opts.watch ?? []
  const harness = identify(process.pid)
  const gone = watch.find((w) => !isSameProcessAlive(w))
  if (gone !== undefined) throw new Error(`the harness process ${gone.pid} that this run belongs to has ended; not starting ${req.sample.name}`)
  // A missing working directory would surface as the interpreter's `spawn … ENOENT`, naming the wrong file.
  const cwdMissing = existsSync(spec.cwd) ? null : `working directory ${spec.cwd} does not exist`
  const supervised = supervisedArgv({
    python: opts.python.executable,
    command,
    graceSeconds,
    statusFile: path.join(paths.runDir, SUPERVISOR_STATUS_FILE),
    leftoverGraceSeconds: LEFTOVER_GRACE_MS / 1000,
    watch,
  })

  const harnessStartedAtMs = Date.now()
  const live: LiveRun = { paths, target, req: request, command, poller, log, startedAtMs: harnessStartedAtMs, version, opts }
  // The child writes straight to the log files (no pipe through us): workers that inherit them cannot keep the run
  // open, and the logs survive the harness dying.
  // execa accepts any file descriptor at runtime, but its types only admit numeric literals, hence the narrowing.
  const stdoutFd = openSync(paths.stdout, 'a') as 3
  const stderrFd = openSync(paths.stderr, 'a') as 4
  // The supervisor's stdin is the lifeline: a pipe we never write to and never close. Only this process holds its
  // write end (Node opens pipes close-on-exec), so the kernel closes it when we end, SIGKILL included, and the
  // supervisor then stops the pipeline's group. `detached` keeps a terminal's Ctrl-C from reaching it directly:
  // the harness decides (SIGTERM to the supervisor, which applies the grace period).
  const child = execa(supervised.file, supervised.args, {
    cwd: cwdMissing === null ? spec.cwd : paths.runDir,
    env: spec.env,
    extendEnv: true,
    detached: true,
    stdin: 'pipe',
    stdout: stdoutFd,
    stderr: stderrFd,
    reject: false,
    // The group is stopped by the supervisor (SIGTERM, grace, SIGKILL); execa's own kill would add a second policy.
    cleanup: false,
  })
  if (cwdMissing !== null) child.kill('SIGKILL')
  // Who started what, with start times against pid reuse: the next harness run ends whatever a dead one left.
  const supervisor = child.pid === undefined ? null : identify(child.pid)
  await writeJsonAtomic(paths.command, { command, env: spec.env, cwd: spec.cwd, request, harness, supervisor, graceSeconds })
  poller.start()
  for (const f of followers) f.start()

  let stoppedBy: StopReason | null = null
  let receivedSignal: NodeJS.Signals | null = null
  let stopping: Promise<unknown> = Promise.resolve()
  const stop = (reason: StopReason): void => {
    if (stoppedBy !== null || supervisor === null) return
    stoppedBy = reason
    // Record what is known now, in case the harness itself is killed during the grace period.
    const partial = buildResult(live, { endedAtMs: Date.now(), exitCode: null, signal: null, stoppedBy: reason, spawnError: null, extraFindings: [], gpu: { status: 'unavailable', reason: 'run interrupted before sampling finished' } })
    // The supervisor owns the stop sequence (group SIGTERM, grace, SIGKILL): it finishes it even if we die meanwhile.
    child.kill('SIGTERM')
    stopping = writeJsonAtomic(paths.result, partial).catch(() => undefined)
  }
  const timer = setTimeout(() => stop('timeout'), opts.timeoutSeconds * 1000)
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
    display.update({ stage: currentStage(poller.state) ?? log.summary().currentStage, elapsedMs: Date.now() - harnessStartedAtMs, gpuUtilPct: gpu.util, gpuMemGiB: gpu.memGiB })
  }, 1000)
  ticker.unref()

  const exited = await child
  closeSync(stdoutFd)
  closeSync(stderrFd)
  const supervisorEndedAtMs = Date.now()
  await stopping
  const status = await readSupervisorStatus(paths.runDir)
  const pgid = status?.pipeline?.pgid
  const extraFindings: LogFinding[] = []
  if (pgid !== undefined && groupAlive(pgid)) {
    // Only if the supervisor itself died early (it stops leftovers before it exits): nothing of the run may outlive it.
    await stopProcessGroup(pgid, graceMs)
    extraFindings.push({ severity: 'warning', code: 'leftover-processes', message: 'processes of the run outlived the supervisor and were stopped by the harness' })
  } else if (status?.leftovers != null && stoppedBy === null) {
    // Workers outliving their parent would hold GPUs into the next run.
    extraFindings.push({ severity: 'warning', code: 'leftover-processes', message: 'processes of the run outlived the pipeline and were stopped by the supervisor' })
  }
  if (status?.stop != null && stoppedBy === null) stoppedBy = 'signal'
  // Wall time as before the supervisor: from the pipeline's spawn to its leader's exit, both taken next to the
  // system calls (the supervisor's own start-up and its clean-up of leftovers are not the pipeline's time).
  const startedAtMs = status?.pipeline?.spawnedAtMs ?? harnessStartedAtMs
  const endedAtMs = status?.exit?.atMs ?? supervisorEndedAtMs
  live.startedAtMs = startedAtMs
  if (pgid !== undefined) await writeJsonAtomic(paths.command, { command, env: spec.env, cwd: spec.cwd, request, harness, supervisor, graceSeconds, pgid, pipeline: status?.pipeline ?? null })
  clearTimeout(timer)
  clearInterval(ticker)
  opts.signal?.removeEventListener('abort', onAbort)
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)

  await Promise.all([...followers.map((f) => f.stop()), poller.stop()])
  const sampled = await sampler.stop()
  const gpu = await finishTelemetry(live, sampled, endedAtMs)
  const spawnError = spawnErrorOf(cwdMissing, status, exited)
  const result = buildResult(live, {
    endedAtMs,
    exitCode: status?.exit ? status.exit.code : (exited.exitCode ?? null),
    signal: status?.exit ? status.exit.signal : (exited.signal ?? null),
    stoppedBy,
    spawnError,
    extraFindings,
    gpu,
  })
  await writeJsonAtomic(paths.result, result)
  display.finish(`${result.outcomeDescription} · ${result.wallSeconds.toFixed(1)} s · ${paths.runDir}`)
  if (receivedSignal !== null && process.listenerCount(receivedSignal) === 0) {
    // Ctrl-C was for the whole harness: now that nothing is left running, let it take its default course.
    process.kill(process.pid, receivedSignal)
  }
  return result
}
