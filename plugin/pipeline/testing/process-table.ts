/**
 * For the fault tests: which processes of a run (or of every run under a folder) are still alive, read from /proc,
 * and a clean-up that SIGKILLs them, for afterEach hooks that must leave nothing running even when a test failed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { groupMembers, isSameProcessAlive } from '../process-identity.ts'

interface Recorded {
  supervisor: { pid: number; startTime: number | null } | null
  pgid: number | null
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    return null
  }
}

function recorded(runDir: string): Recorded {
  const status = readJson(path.join(runDir, 'supervisor.json'))
  const command = readJson(path.join(runDir, 'command.json'))
  const sup = (status?.['supervisor'] ?? command?.['supervisor'] ?? null) as Recorded['supervisor']
  const pipeline = status?.['pipeline'] as { pgid?: number } | null | undefined
  const pgid = pipeline?.pgid ?? (command?.['pgid'] as number | undefined) ?? null
  return { supervisor: sup, pgid }
}

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return true
  }
}

export function runFolders(runsDir: string): string[] {
  if (!existsSync(runsDir)) return []
  return readdirSync(runsDir)
    .map((n) => path.join(runsDir, n))
    .filter((d) => existsSync(path.join(d, 'command.json')))
}

/** Live (non-zombie) pids of a run: its supervisor, its pipeline group, and anything naming its folder on the command line. */
export function liveProcessesOfRun(runDir: string): number[] {
  const { supervisor, pgid } = recorded(runDir)
  const pids = new Set<number>()
  if (supervisor !== null && isSameProcessAlive(supervisor)) pids.add(supervisor.pid)
  if (pgid !== null) for (const pid of groupMembers(pgid)) pids.add(pid)
  for (const name of readdirSync('/proc')) {
    if (/^\d+$/.test(name) && Number(name) !== process.pid && cmdline(name).includes(runDir)) pids.add(Number(name))
  }
  return [...pids].filter((pid) => !isZombie(pid)).sort((a, b) => a - b)
}

export function liveProcessesUnder(runsDir: string): number[] {
  return [...new Set(runFolders(runsDir).flatMap(liveProcessesOfRun))].sort((a, b) => a - b)
}

/** Polls until no process of any run under `runsDir` is alive; returns the ms it took, or null after `limitMs`. */
export async function waitUntilNoneAlive(runsDir: string, limitMs: number): Promise<number | null> {
  const start = Date.now()
  while (Date.now() - start < limitMs) {
    if (liveProcessesUnder(runsDir).length === 0) return Date.now() - start
    await sleep(100)
  }
  return liveProcessesUnder(runsDir).length === 0 ? Date.now() - start : null
}

/** SIGKILLs every process of every run under `runsDir` (groups first): the tests' last line of defence. */
export function killEverythingUnder(runsDir: string): void {
  for (const dir of runFolders(runsDir)) {
    const { pgid } = recorded(dir)
    if (pgid !== null) {
      try {
        process.kill(-pgid, 'SIGKILL')
      } catch {
        // gone
      }
    }
    for (const pid of liveProcessesOfRun(dir)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone
      }
    }
  }
}

/** SIGKILLs a process group, ignoring a group that is already gone. */
export function killGroup(pgid: number | undefined): void {
  if (pgid === undefined) return
  try {
    process.kill(-pgid, 'SIGKILL')
  } catch {
    // gone
  }
}
