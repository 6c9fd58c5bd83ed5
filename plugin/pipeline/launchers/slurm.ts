/**
 * Runs the pipeline as a Slurm job: a generated batch script in the run folder (see slurm/job-script.ts) is
 * submitted with `sbatch --parsable`, followed with squeue/scontrol while it is queued and running, and read back
 * from the job's own records (slurm-job.env) and, where the cluster keeps accounting, sacct. Queue time is kept
 * apart from run time. Stopping signals the job (scancel --signal=TERM), waits the grace, then cancels it.
 */
import { supervisedArgv, SUPERVISOR_STATUS_FILE } from '../supervisor.ts'
import { utimes, writeFile, readFile, chmod } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { SlurmLauncherConfig } from '../../config/harness-options.ts'
import { parseGpuInventory } from '../../env/detect-gpus.ts'
import { NVIDIA_SMI_FIELDS } from '../../metrics/gpu-sample.ts'
import { GpuSampleFileFollower } from '../../metrics/gpu-sample-file.ts'
import type { LogFinding } from '../../metrics/log-findings.ts'
import type { SlurmJobRecord } from '../../model/scheduler.ts'
import type { Outcome } from '../exit-outcome.ts'
import { isPending, isTerminal, neverStarts, type SlurmJobStatus } from '../slurm/job-status.ts'
import { JOB_RECORD_FILE, parseJobRecord, type JobRecord } from '../slurm/job-record.ts'
import { recordJob, reportJobsLeftBehind, trackJob, untrackJob, type JobLedgerEntry } from '../slurm/job-ledger.ts'
import { renderJobScript } from '../slurm/job-script.ts'
import { sbatchDirectives } from '../slurm/sbatch-args.ts'
import { accountingRecord, cancelJob, jobStatus, signalJob, submitJob } from '../slurm/slurm-cli.ts'
import type { LaunchContext, LaunchedRun, LaunchExit, LaunchPhase, Launcher } from './launcher.ts'

export interface SlurmLauncherOptions {
  /** Follow period for squeue/scontrol (default 2 s). */
  pollMs?: number
  /** The job cancels itself when the harness's heartbeat file is older than this (default 120 s: NFS caches mtimes). */
  heartbeatStaleSeconds?: number
  /** Runs submitted together (launcher.concurrent) share one group; each adds its job id on submission. */
  group?: { jobIds: string[] }
}

const HEARTBEAT_FILE = 'harness.heartbeat'
/** A job the controller no longer knows and whose records show no end is given up after this long. */
const VANISHED_AFTER_MS = 60_000

/** The compute node as the job recorded it; fields it did not record keep the harness's values. */
async function nodeEnvironment(record: JobRecord, inventoryPath: string): Promise<LaunchExit['environment']> {
  if (record.node === null) return undefined
  const inventory = parseGpuInventory(await readFile(inventoryPath, 'utf8').catch(() => ''))
  return {
    host: record.node,
    ...(record.cpuModel === null ? {} : { cpuModel: record.cpuModel }),
    ...(record.cpuCount === null || record.cpuCount < 1 ? {} : { cpuCount: record.cpuCount }),
    ...(record.memoryBytes === null ? {} : { memoryBytes: record.memoryBytes }),
    gpus: inventory.gpus,
    driverVersion: inventory.driverVersion,
  }
}

function describeState(s: SlurmJobStatus | null): string {
  return s === null ? 'unknown to the controller' : `${s.state}${s.reason === null ? '' : ` (${s.reason})`}`
}

/** The supervisor's argv up to `--`, for the job script to put before the pipeline command. */
function jobSupervisor(ctx: LaunchContext, statusFile: string): string[] {
  const { file, args } = supervisedArgv({
    python: ctx.python,
    command: [],
    graceSeconds: ctx.killGraceMs / 1000,
    statusFile,
    lifeline: 'none',
    leftoverWaitSeconds: ctx.leftoverGraceMs / 1000,
    leftoverGraceSeconds: ctx.killGraceMs / 1000,
  })
  return [file, ...args]
}

export class SlurmLauncher implements Launcher {
  constructor(
    private readonly config: SlurmLauncherConfig,
    private readonly options: SlurmLauncherOptions = {},
  ) {}

  async launch(ctx: LaunchContext): Promise<LaunchedRun> {
    const { paths, req, spec } = ctx
    const pollMs = this.options.pollMs ?? 2000
    // Jobs an earlier harness left behind are reported (once: the ledger marks them) with the next run.
    const leftBehind = await reportJobsLeftBehind(path.dirname(paths.runDir))

    const file = (name: string): string => path.join(paths.runDir, name)
    const recordPath = file(JOB_RECORD_FILE)
    const heartbeat = file(HEARTBEAT_FILE)
    const directives = sbatchDirectives(this.config, { jobName: `vnp-${paths.id}`.slice(0, 100), gpuCount: req.gpus.length, slurmOutput: file('slurm-%j.out'), workDir: paths.runDir })
    const scriptPath = file('job.sh')
    await writeFile(heartbeat, `${process.pid}@${hostname()}\n`)
    await writeFile(
      scriptPath,
      renderJobScript({
        directives,
        command: [spec.file, ...spec.args],
        env: spec.env,
        cwd: spec.cwd,
        gpuCount: req.gpus.length,
        stdout: paths.stdout,
        stderr: paths.stderr,
        record: recordPath,
        gpuSamples: file('gpu-samples.csv'),
        gpuInventory: file('gpu-inventory.csv'),
        samplerLog: file('gpu-sampler.log'),
        sampler: { command: ctx.nvidiaSmi ?? 'nvidia-smi', fields: NVIDIA_SMI_FIELDS, intervalMs: ctx.sampleIntervalMs },
        heartbeat: { path: heartbeat, staleSeconds: this.options.heartbeatStaleSeconds ?? 120, checkSeconds: 5 },
        // The lifeline supervisor inside the job too: the pipeline leads its own group, which scancel's SIGTERM or the
        // job's end stops with the target's grace; leftovers past leftoverGraceSeconds are named in supervisor.json.
        supervisor: jobSupervisor(ctx, file(SUPERVISOR_STATUS_FILE)),
      }),
    )
    await chmod(scriptPath, 0o755)

    let record: JobRecord = parseJobRecord('')
    const readRecord = async (): Promise<JobRecord> => {
      record = parseJobRecord(await readFile(recordPath, 'utf8').catch(() => ''))
      return record
    }
    const sampler = new GpuSampleFileFollower(file('gpu-samples.csv'), ctx.stageAt, () => (record.sampler?.startsWith('unavailable') ? record.sampler : null))

    const submittedAtMs = Date.now()
    const submitted = await submitJob(scriptPath)
    const base = (jobId: string | null): Omit<SlurmJobRecord, 'state' | 'reason' | 'endSource' | 'queueSeconds'> => ({
      kind: 'slurm',
      jobId,
      nodeName: record.node,
      partition: record.partition ?? this.config.partition ?? null,
      request: directives,
      allocatedGpus: record.allocatedGpus,
      usedGpus: record.allocatedGpus.slice(0, req.gpus.length),
      cudaVisibleDevices: record.cudaVisibleDevices,
      submittedAtMs,
      concurrentWith: (this.options.group?.jobIds ?? []).filter((id) => id !== jobId),
      jobScript: scriptPath,
    })

    if (!submitted.ok) {
      const now = Date.now()
      const outcome: Outcome = {
        outcome: 'not-scheduled',
        description: submitted.kind === 'unsatisfiable' ? `Slurm cannot run this request (${req.gpus.length} GPU(s), ${directives.filter((d) => !d.startsWith('--output') && !d.startsWith('--chdir') && !d.startsWith('--job-name')).join(' ')}): ${submitted.message}` : `sbatch refused the job (${submitted.kind}): ${submitted.message}`,
      }
      const exit: LaunchExit = { exitCode: null, signal: null, spawnError: null, startedAtMs: now, endedAtMs: now, findings: leftBehind, outcome, scheduler: { ...base(null), queueSeconds: null, state: 'REFUSED', reason: submitted.message, endSource: 'sbatch' } }
      return { sampler, started: new Promise<number>(() => undefined), phase: () => ({ kind: 'queued', since: submittedAtMs, reason: 'refused', jobId: null }), stop: async () => undefined, exited: Promise.resolve(exit) }
    }

    const jobId = submitted.jobId
    this.options.group?.jobIds.push(jobId)
    trackJob(jobId)
    const ledger: JobLedgerEntry = { jobId, runDir: paths.runDir, submittedAtMs, harnessPid: process.pid, harnessHost: hostname(), finished: false }
    await recordJob(ledger)
    const beat = setInterval(() => void utimes(heartbeat, new Date(), new Date()).catch(() => undefined), 5000)
    beat.unref()

    let phase: LaunchPhase = { kind: 'queued', since: submittedAtMs, reason: null, jobId }
    let status: SlurmJobStatus | null = null
    let stopRequested = false
    /** A pending reason that means the job will never start; the job is cancelled and the request reported. */
    let refusedWhilePending: string | null = null
    let markStarted: (at: number) => void = () => undefined
    const started = new Promise<number>((resolve) => (markStarted = resolve))
    let wake: () => void = () => undefined

    const follow = async (): Promise<LaunchExit> => {
      let lastKnownAt = Date.now()
      for (;;) {
        status = (await jobStatus(jobId)) ?? status
        await readRecord()
        if (status !== null) lastKnownAt = Date.now()
        if (phase.kind === 'queued') {
          if (record.startedAtMs !== null) {
            phase = { kind: 'running', since: Date.now() }
            markStarted(record.startedAtMs)
          } else if (status !== null && isPending(status.state)) {
            phase = { ...phase, reason: status.reason }
            if (neverStarts(status.reason) && refusedWhilePending === null) {
              refusedWhilePending = status.reason
              await cancelJob(jobId)
            }
          }
        }
        const ended = status !== null && isTerminal(status.state)
        if (ended || (record.endedAtMs !== null && status === null)) break
        if (Date.now() - lastKnownAt > VANISHED_AFTER_MS) break
        await Promise.race([sleep(pollMs), new Promise<void>((r) => (wake = r))])
      }
      // The records of a job that ended normally are complete; give a shared file system a moment to show them.
      for (let i = 0; i < 10 && record.startedAtMs !== null && record.endedAtMs === null && status?.state !== 'CANCELLED'; i++) {
        await sleep(500)
        await readRecord()
      }
      clearInterval(beat)
      untrackJob(jobId)
      await recordJob({ ...ledger, finished: true })
      const exit = await this.ending(jobId, status, record, submittedAtMs, stopRequested, base(jobId), leftBehind)
      if (refusedWhilePending === null || record.startedAtMs !== null) return exit
      return { ...exit, outcome: { outcome: 'not-scheduled', description: `Slurm will never start job ${jobId} as requested (pending: ${refusedWhilePending}); cancelled it` } }
    }
    const exited = follow()

    let stopping: Promise<void> | null = null
    const stop = (graceMs: number): Promise<void> =>
      (stopping ??= (async () => {
        stopRequested = true
        if (phase.kind === 'queued') {
          await cancelJob(jobId)
        } else {
          await signalJob(jobId, 'TERM')
          const until = Date.now() + graceMs
          while (Date.now() < until) {
            const s = await jobStatus(jobId)
            if (s === null || isTerminal(s.state)) break
            await sleep(Math.min(1000, Math.max(1, until - Date.now())))
          }
          const s = await jobStatus(jobId)
          if (s !== null && !isTerminal(s.state)) await cancelJob(jobId)
        }
        wake()
      })())

    return { sampler, started, phase: () => phase, stop, exited }
  }

  /** End state, exit status and times: sacct where accounting is on, else the job's own records and the controller. */
  private async ending(jobId: string, status: SlurmJobStatus | null, record: JobRecord, submittedAtMs: number, stopRequested: boolean, base: Omit<SlurmJobRecord, 'state' | 'reason' | 'endSource' | 'queueSeconds'>, findings: LaunchExit['findings']): Promise<LaunchExit> {
    const sacct = await accountingRecord(jobId)
    const final = sacct !== null && sacct !== 'disabled' ? sacct : status
    const endSource: SlurmJobRecord['endSource'] = sacct !== null && sacct !== 'disabled' ? 'sacct' : record.startedAtMs !== null ? 'job-record' : status !== null ? 'squeue' : 'job-record'
    const state = final?.state ?? 'UNKNOWN'
    const now = Date.now()
    const startedAtMs = record.startedAtMs ?? final?.startTimeMs ?? now
    const endedAtMs = record.endedAtMs ?? final?.endTimeMs ?? now
    const queueSeconds = record.startedAtMs === null ? null : Math.max(0, (record.startedAtMs - submittedAtMs) / 1000)
    const scheduler: SlurmJobRecord = { ...base, nodeName: record.node ?? final?.nodes ?? null, partition: record.partition ?? final?.partition ?? base.partition, queueSeconds, state, reason: final?.reason ?? null, endSource }
    const exitCode = record.exitCode ?? (record.startedAtMs !== null && state !== 'CANCELLED' ? (final?.exitCode ?? null) : null)
    const exit: LaunchExit = { exitCode, signal: null, spawnError: null, startedAtMs, endedAtMs, findings, scheduler, assignedGpus: scheduler.usedGpus, environment: await nodeEnvironment(record, path.join(path.dirname(base.jobScript), 'gpu-inventory.csv')) }
    const outcome = this.outcomeFromScheduler(jobId, state, status, record, stopRequested)
    return outcome === null ? exit : { ...exit, outcome }
  }

  /** The cases where Slurm, not the pipeline's exit status, says what happened. */
  private outcomeFromScheduler(jobId: string, state: string, status: SlurmJobStatus | null, record: JobRecord, stopRequested: boolean): Outcome | null {
    if (stopRequested) return null
    const job = `Slurm job ${jobId}`
    if (record.lifelineLost !== null) return { outcome: 'terminated', description: `${job} cancelled itself: ${record.lifelineLost} (the harness was gone)` }
    if (record.startedAtMs === null) return { outcome: 'not-scheduled', description: `${job} ended ${describeState(status)} before the pipeline started` }
    switch (state) {
      case 'TIMEOUT':
        return { outcome: 'timed-out', description: `${job} reached Slurm's time limit (${this.config.timeLimit ?? 'the partition default'}); exit ${record.exitCode ?? 'unknown'}` }
      case 'OUT_OF_MEMORY':
        return { outcome: 'out-of-memory', description: `${job} ran out of host memory (Slurm OUT_OF_MEMORY)` }
      case 'NODE_FAIL':
      case 'BOOT_FAIL':
        return { outcome: 'terminated', description: `${job}: node ${record.node ?? '?'} failed (${state})` }
      case 'PREEMPTED':
        return { outcome: 'terminated', description: `${job} was preempted by the scheduler` }
      case 'CANCELLED':
        return { outcome: 'terminated', description: `${job} was cancelled outside the harness (scancel)${record.exitCode === null ? '' : `; exit ${record.exitCode}`}` }
      default:
        return null
    }
  }
}
