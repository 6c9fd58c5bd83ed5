/**
 * Processes of a run that outlive its parent. Multiprocessing helpers (resource trackers, DataLoader workers) exit a
 * moment after the parent, so the group is first given a grace period; only what is still alive after it is
 * recorded (pid, command line, age) and reported, and then ended with the run's SIGTERM semantics.
 */
import { readdir, readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LogFinding } from '../metrics/log-findings.ts'
import type { LeftoverProcess } from '../model/run-evidence.ts'
import { groupAlive, signalGroup } from './process-group.ts'

/** Default wait after the parent exits before a surviving process counts as left over. */
export const DEFAULT_LEFTOVER_GRACE_SECONDS = 3

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux the harness runs on. */
const CLOCK_TICKS = 100

/** Fields after `(comm)` of /proc/<pid>/stat (comm may hold spaces and parentheses, so split after the last ')'). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

async function bootTimeSeconds(): Promise<number | null> {
  try {
    const m = /^btime (\d+)$/m.exec(await readFile('/proc/stat', 'utf8'))
    return m === null ? null : Number(m[1])
  } catch {
    return null
  }
}

/** Every live process whose process group is `pgid`, from /proc (Linux); empty where /proc is not available. */
export async function listGroup(pgid: number, nowMs = Date.now()): Promise<LeftoverProcess[]> {
  let pids: string[]
  try {
    pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d))
  } catch {
    return []
  }
  const boot = await bootTimeSeconds()
  const found: LeftoverProcess[] = []
  for (const pid of pids) {
    try {
      const fields = statFields(await readFile(`/proc/${pid}/stat`, 'utf8'))
      // fields[0] = state (field 3), fields[2] = pgrp (field 5), fields[19] = starttime (field 22).
      if (Number(fields[2]) !== pgid || fields[0] === 'Z') continue
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((p) => p !== '').join(' ').replace(/\s+/g, ' ')
      const start = Number(fields[19])
      const ageSeconds = boot === null || !Number.isFinite(start) ? null : Math.max(0, nowMs / 1000 - (boot + start / CLOCK_TICKS))
      found.push({ pid: Number(pid), command: cmdline.slice(0, 300) || '(no command line)', ageSeconds })
    } catch {
      // The process ended while it was being read.
    }
  }
  return found.sort((a, b) => a.pid - b.pid)
}

/**
 * The group's members that are not zombies; null when the group is gone. A zombie is dead (it only waits to be
 * reaped, and a container's init may never reap it), so it does not count as left over, although signal 0 still
 * finds it. Without /proc, membership falls back to signal 0 and the members cannot be named.
 */
async function livingMembers(pgid: number): Promise<LeftoverProcess[] | null> {
  if (!groupAlive(pgid)) return null
  const members = await listGroup(pgid)
  if (members.length > 0) return members
  return (await procAvailable()) ? [] : [{ pid: pgid, command: '(unknown: /proc is not available)', ageSeconds: null }]
}

async function procAvailable(): Promise<boolean> {
  try {
    await readFile('/proc/self/stat', 'utf8')
    return true
  } catch {
    return false
  }
}

async function waitNoLiving(pgid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms
  for (;;) {
    const left = await livingMembers(pgid)
    if (left === null || left.length === 0) return true
    if (Date.now() >= until) return false
    await sleep(Math.min(250, Math.max(1, until - Date.now())))
  }
}

/**
 * SIGTERM, up to `graceMs` for the living members to exit, then SIGKILL. Like stopProcessGroup, but a member that
 * died and waits to be reaped (a container's init may never reap it) counts as gone, so the grace is not spent
 * waiting on zombies.
 */
async function stopLiving(pgid: number, graceMs: number): Promise<{ killed: boolean }> {
  signalGroup(pgid, 'SIGTERM')
  if (await waitNoLiving(pgid, graceMs)) return { killed: false }
  signalGroup(pgid, 'SIGKILL')
  await waitNoLiving(pgid, 5000)
  return { killed: true }
}

export interface LeftoverCheck {
  processes: LeftoverProcess[]
  findings: LogFinding[]
}

/**
 * Waits up to `graceMs` for the group to empty; then records what is left, reports it as a finding and ends it
 * (SIGTERM, `killGraceMs`, SIGKILL). Nothing is reported when the group emptied within the grace period.
 */
export async function checkLeftoverProcesses(pgid: number, graceMs: number, killGraceMs: number): Promise<LeftoverCheck> {
  const until = Date.now() + graceMs
  let processes = await livingMembers(pgid)
  while (processes !== null && processes.length > 0 && Date.now() < until) {
    await sleep(Math.min(250, Math.max(1, until - Date.now())))
    processes = await livingMembers(pgid)
  }
  if (processes === null || processes.length === 0) return { processes: [], findings: [] }
  const stopped = await stopLiving(pgid, killGraceMs)
  const names = processes.map((p) => `pid ${p.pid} (${p.command.slice(0, 80)}${p.ageSeconds === null ? '' : `, ${p.ageSeconds.toFixed(1)} s old`})`)
  const what = names.length > 0 ? names.join('; ') : 'processes that /proc could not name'
  const how = stopped.killed ? `SIGKILL after ${killGraceMs / 1000} s of SIGTERM grace` : 'SIGTERM'
  return {
    processes,
    findings: [
      {
        severity: 'warning',
        code: 'leftover-processes',
        message: `${processes.length || 'some'} process(es) of the run were still alive ${graceMs / 1000} s after the pipeline exited and were stopped by the harness (${how}): ${what}`,
      },
    ],
  }
}
