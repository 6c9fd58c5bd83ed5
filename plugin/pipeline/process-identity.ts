/**
 * A process named by pid and start time: the start time (clock ticks since boot, /proc/PID/stat field 22) tells a
 * process apart from a later one that reused its pid. Linux only; elsewhere the start time is null.
 */
import { readdirSync, readFileSync } from 'node:fs'

export interface ProcessIdentity {
  pid: number
  /** Clock ticks since boot, or null when /proc could not tell. */
  startTime: number | null
}

/** Start time of a live process, or null when it does not exist (or /proc is unavailable). */
export function processStartTime(pid: number): number | null {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return null
  }
  // comm may contain spaces and parentheses: the fields after it start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const value = Number(fields[19])
  return Number.isInteger(value) ? value : null
}

export function identify(pid: number): ProcessIdentity {
  return { pid, startTime: processStartTime(pid) }
}

/** True while the very process named is alive (same pid and, when recorded, the same start time). */
export function isSameProcessAlive(who: ProcessIdentity): boolean {
  const start = processStartTime(who.pid)
  if (start === null) return false
  return who.startTime === null || start === who.startTime
}

/** Pids of live processes whose process group is `pgid` (from /proc; zombies count, they are reaped by their parent). */
export function groupMembers(pgid: number): number[] {
  const members: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[2]) === pgid) members.push(Number(name))
    } catch {
      // gone meanwhile
    }
  }
  return members
}
