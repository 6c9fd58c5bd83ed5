/**
 * Runs the pipeline in place, under the lifeline supervisor (supervisor.py): the command leads its own process group,
 * writes straight to the run's log files, and its group is ended by the supervisor (SIGTERM, grace, SIGKILL) when the
 * harness asks, when a watched process ends, or when the harness itself ends however it ends (the lifeline pipe
 * closes). The GPU sampler is this machine's nvidia-smi.
 */
import { closeSync, existsSync, openSync } from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { GpuSampler } from '../../metrics/gpu-sampler.ts'
import type { LogFinding } from '../../metrics/log-findings.ts'
import { checkLeftoverProcesses, listGroup } from '../leftover-processes.ts'
import { groupAlive } from '../process-group.ts'
import { identify, isSameProcessAlive } from '../process-identity.ts'
import { writeJsonAtomic } from '../../io/files.ts'
import { readSupervisorStatus, supervisedArgv, SUPERVISOR_STATUS_FILE, type SupervisorStatus } from '../supervisor.ts'
import type { LaunchContext, LaunchedRun, LaunchExit, Launcher } from './launcher.ts'

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

/** The supervisor's record of processes that outlived the pipeline past the grace period, as the run reports it. */
function leftoverFinding(left: NonNullable<SupervisorStatus['leftovers']>, killGraceMs: number): LogFinding {
  const names = left.processes.map((p) => `pid ${p.pid} (${p.command.slice(0, 80)}${p.ageSeconds === null ? '' : `, ${p.ageSeconds.toFixed(1)} s old`})`)
  const how = left.killed ? `SIGKILL after ${killGraceMs / 1000} s of SIGTERM grace` : 'SIGTERM'
  return {
    severity: 'warning',
    code: 'leftover-processes',
    message: `${left.processes.length || 'some'} process(es) of the run were still alive ${left.waitedSeconds ?? 0} s after the pipeline exited and were stopped by the supervisor (${how}): ${names.join('; ') || 'processes that /proc could not name'}`,
  }
}

export class LocalLauncher implements Launcher {
  async launch(ctx: LaunchContext): Promise<LaunchedRun> {
    const { spec, paths } = ctx
    const command = [spec.file, ...spec.args]
    const graceSeconds = ctx.killGraceMs / 1000
    const harness = identify(process.pid)
    const gone = ctx.watch.find((w) => !isSameProcessAlive(w))
    if (gone !== undefined) throw new Error(`the harness process ${gone.pid} that this run belongs to has ended; not starting ${ctx.req.sample.name}`)
    // A missing working directory would surface as the interpreter's `spawn … ENOENT`, naming the wrong file.
    const cwdMissing = existsSync(spec.cwd) ? null : `working directory ${spec.cwd} does not exist`
    const supervised = supervisedArgv({
      python: ctx.python,
      command,
      graceSeconds,
      statusFile: path.join(paths.runDir, SUPERVISOR_STATUS_FILE),
      leftoverWaitSeconds: ctx.leftoverGraceMs / 1000,
      leftoverGraceSeconds: graceSeconds,
      watch: ctx.watch,
    })
    const sampler = await GpuSampler.start({ intervalMs: ctx.sampleIntervalMs, stageAt: ctx.stageAt, ...(ctx.nvidiaSmi ? { command: ctx.nvidiaSmi } : {}) })
    const harnessStartedAtMs = Date.now()
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
    await writeJsonAtomic(paths.command, { command, env: spec.env, cwd: spec.cwd, request: ctx.req, harness, supervisor, graceSeconds })

    let stopRequested = false
    const exited = (async (): Promise<LaunchExit> => {
      const result = await child
      closeSync(stdoutFd)
      closeSync(stderrFd)
      const supervisorEndedAtMs = Date.now()
      const status = await readSupervisorStatus(paths.runDir)
      const pgid = status?.pipeline?.pgid
      const findings: LogFinding[] = []
      let leftoverProcesses = status?.leftovers?.processes ?? []
      // Zombies do not count (a container's init may never reap them): only living members of the group.
      if (pgid !== undefined && groupAlive(pgid) && (await listGroup(pgid)).length > 0) {
        // Only if the supervisor itself died early (it stops leftovers before it exits): nothing of the run may outlive it.
        const check = await checkLeftoverProcesses(pgid, 0, ctx.killGraceMs)
        findings.push(...check.findings)
        leftoverProcesses = check.processes
      } else if (status?.leftovers != null && !stopRequested) {
        findings.push(leftoverFinding(status.leftovers, ctx.killGraceMs))
      }
      if (pgid !== undefined) await writeJsonAtomic(paths.command, { command, env: spec.env, cwd: spec.cwd, request: ctx.req, harness, supervisor, graceSeconds, pgid, pipeline: status?.pipeline ?? null })
      return {
        exitCode: status?.exit ? status.exit.code : (result.exitCode ?? null),
        signal: status?.exit ? status.exit.signal : (result.signal ?? null),
        spawnError: spawnErrorOf(cwdMissing, status, result),
        // Wall time as before the supervisor: from the pipeline's spawn to its leader's exit, both taken next to the
        // system calls (the supervisor's own start-up and its clean-up of leftovers are not the pipeline's time).
        startedAtMs: status?.pipeline?.spawnedAtMs ?? harnessStartedAtMs,
        endedAtMs: status?.exit?.atMs ?? supervisorEndedAtMs,
        findings,
        leftoverProcesses,
        // A stop the supervisor made on its own (a watched process ended, a signal reached it) is a stop by signal.
        ...(status?.stop != null && !stopRequested ? { stoppedBySupervisor: true } : {}),
      }
    })()
    return {
      sampler,
      started: Promise.resolve(harnessStartedAtMs),
      phase: () => ({ kind: 'running', since: harnessStartedAtMs }),
      stop: async () => {
        // The supervisor owns the stop sequence (group SIGTERM, grace, SIGKILL): it finishes it even if we die meanwhile.
        if (stopRequested || supervisor === null) return
        stopRequested = true
        child.kill('SIGTERM')
      },
      exited,
    }
  }
}
