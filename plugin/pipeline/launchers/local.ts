/**
 * Runs the pipeline in place: the command leads its own process group, writes straight to the run's log files, and
 * is stopped as a group (SIGTERM, grace, SIGKILL). The GPU sampler is this machine's nvidia-smi.
 */
import { closeSync, openSync } from 'node:fs'
import { execa } from 'execa'
import { GpuSampler } from '../../metrics/gpu-sampler.ts'
import type { LogFinding } from '../../metrics/log-findings.ts'
import { checkLeftoverProcesses } from '../leftover-processes.ts'
import { stopProcessGroup } from '../process-group.ts'
import { writeJsonAtomic } from '../run-directory.ts'
import type { LaunchContext, LaunchedRun, LaunchExit, Launcher } from './launcher.ts'

export class LocalLauncher implements Launcher {
  async launch(ctx: LaunchContext): Promise<LaunchedRun> {
    const { spec, paths } = ctx
    const command = [spec.file, ...spec.args]
    const sampler = await GpuSampler.start({ intervalMs: ctx.sampleIntervalMs, stageAt: ctx.stageAt, ...(ctx.nvidiaSmi ? { command: ctx.nvidiaSmi } : {}) })
    const startedAtMs = Date.now()
    // The child writes straight to the log files (no pipe through us): workers that inherit them cannot keep the run
    // open, and the logs survive the harness dying.
    // execa accepts any file descriptor at runtime, but its types only admit numeric literals, hence the narrowing.
    const stdoutFd = openSync(paths.stdout, 'a') as 3
    const stderrFd = openSync(paths.stderr, 'a') as 4
    const child = execa(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      extendEnv: true,
      detached: true,
      stdin: 'ignore',
      stdout: stdoutFd,
      stderr: stderrFd,
      reject: false,
      // The group is stopped by the harness (SIGTERM, grace, SIGKILL); execa's own kill would hit only the leader.
      cleanup: false,
    })
    const pgid = child.pid
    // The process group id lets anyone check afterwards that nothing of the run is left (`ps -eo pgid`).
    await writeJsonAtomic(paths.command, { command, env: spec.env, cwd: spec.cwd, request: ctx.req, pgid: pgid ?? null })

    let stopping: Promise<unknown> | null = null
    const exited = (async (): Promise<LaunchExit> => {
      const result = await child
      closeSync(stdoutFd)
      closeSync(stderrFd)
      const endedAtMs = Date.now()
      if (stopping !== null) await stopping
      // Workers outliving their parent would hold GPUs into the next run: after a grace period they are named and ended.
      const leftover = stopping === null && pgid !== undefined ? await checkLeftoverProcesses(pgid, ctx.leftoverGraceMs, ctx.killGraceMs) : null
      const findings: LogFinding[] = leftover?.findings ?? []
      const spawnError = result.exitCode === undefined && result.signal === undefined ? (result.shortMessage ?? 'unknown error') : null
      return { exitCode: result.exitCode ?? null, signal: result.signal ?? null, spawnError, startedAtMs, endedAtMs, findings, leftoverProcesses: leftover?.processes ?? [] }
    })()
    return {
      sampler,
      started: Promise.resolve(startedAtMs),
      phase: () => ({ kind: 'running', since: startedAtMs }),
      stop: (graceMs) => (stopping ??= pgid === undefined ? Promise.resolve() : stopProcessGroup(pgid, graceMs)),
      exited,
    }
  }
}
