/**
 * Run folders left behind by a harness that is gone (SIGKILL, crash, power loss): no result.json, and the harness
 * process recorded in command.json no longer exists. Whatever of such a run still lives (the supervisor, the
 * pipeline's process group) is ended, and the folder is marked with `abandoned.json`, so it is reported once.
 */
import { existsSync, statSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { AbandonedRunSchema, type AbandonedRun } from '../model/abandoned-run.ts'
import { groupMembers, isSameProcessAlive, processStartTime } from './process-identity.ts'
import { writeJsonAtomic } from '../io/files.ts'
import { readSupervisorStatus, type SupervisorStatus } from './supervisor.ts'

export const ABANDONED_FILE = 'abandoned.json'
/** After SIGTERM, how long an abandoned run gets before SIGKILL: its harness is gone, nobody waits for a checkpoint. */
const ABANDONED_GRACE_MS = 3000

const IdentitySchema = z.object({ pid: z.number().int().positive(), startTime: z.number().int().nullable() })
/** The parts of command.json this needs; older folders (before the supervisor) lack them. */
const CommandRecordSchema = z.object({
  harness: IdentitySchema.optional(),
  supervisor: IdentitySchema.nullable().optional(),
})
type CommandRecord = z.infer<typeof CommandRecordSchema>

export type RunFolderState = 'finished' | 'abandoned' | 'live' | 'stale'

async function readCommand(runDir: string): Promise<{ record: CommandRecord; mtimeMs: number | null } | null> {
  try {
    const text = await readFile(path.join(runDir, 'command.json'), 'utf8')
    const parsed = CommandRecordSchema.safeParse(JSON.parse(text))
    return parsed.success ? { record: parsed.data, mtimeMs: statSync(path.join(runDir, 'command.json')).mtimeMs } : null
  } catch {
    return null
  }
}

/** A run folder is one with command.json (the runs cache also holds samples/ and calibration files). */
export async function listRunFolders(runsDir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(runsDir)
  } catch {
    return []
  }
  return names
    .sort()
    .map((n) => path.join(runsDir, n))
    .filter((dir) => existsSync(path.join(dir, 'command.json')))
}

/** Where a run folder stands. 'live': its harness still runs (another session, or this one). */
export async function runFolderState(runDir: string): Promise<RunFolderState> {
  if (existsSync(path.join(runDir, 'result.json'))) return 'finished'
  if (existsSync(path.join(runDir, ABANDONED_FILE))) return 'abandoned'
  const command = await readCommand(runDir)
  const harness = command?.record.harness
  // A folder without a recorded harness predates the supervisor: only its age could tell, so it counts as stale.
  if (harness !== undefined && isSameProcessAlive(harness)) return 'live'
  return 'stale'
}

function describe(status: SupervisorStatus | null): string {
  if (status === null) return 'no supervisor record (started before the lifeline, or the supervisor never ran)'
  if (status.error !== null) return `the pipeline could not start: ${status.error}`
  if (status.exit !== null) {
    const how = status.exit.code !== null ? `exited ${status.exit.code}` : `was killed by ${status.exit.signal ?? '?'}`
    const why = status.stop !== null ? ` after the supervisor stopped it (${status.stop.reason})` : ''
    return `the pipeline ${how}${why} at ${new Date(status.exit.atMs).toISOString()}; the harness never wrote a result`
  }
  if (status.pipeline !== null) return `the pipeline was still running (started ${new Date(status.pipeline.spawnedAtMs).toISOString()})`
  return 'the supervisor started but the pipeline never did'
}

/**
 * Whether group `pgid` is still the run's: its leader alive with the recorded start time, or, with the leader gone,
 * members that all started after it (Linux never hands out a pid that is still a group's id, so a new group with
 * this id needs the old one to have emptied first; its members would then have started after the new leader).
 */
function runsStill(pgid: number, leaderStart: number): boolean {
  const leader = processStartTime(pgid)
  if (leader !== null) return leader === leaderStart
  const members = groupMembers(pgid)
  return members.length > 0 && members.every((pid) => (processStartTime(pid) ?? -1) >= leaderStart)
}

/** Ends what is left of a stale run: its supervisor and every process of its pipeline group. Returns the pids ended. */
async function endLeftovers(command: CommandRecord | undefined, status: SupervisorStatus | null): Promise<number[]> {
  const supervisor = status?.supervisor ?? command?.supervisor ?? null
  // Only a group recorded with its leader's start time is touched: a bare pgid (older folders) may name someone else's
  // group by now.
  const pipeline = status?.pipeline ?? null
  const pgid = pipeline !== null && pipeline.startTime !== null && runsStill(pipeline.pgid, pipeline.startTime) ? pipeline.pgid : null
  const pids = new Set<number>()
  const members = pgid === null ? [] : groupMembers(pgid)
  for (const pid of members) pids.add(pid)
  const supervisorAlive = supervisor !== null && isSameProcessAlive(supervisor)
  if (supervisorAlive && supervisor !== null) pids.add(supervisor.pid)
  if (pids.size === 0) return []
  const send = (signal: NodeJS.Signals): void => {
    if (pgid !== null) {
      try {
        process.kill(-pgid, signal)
      } catch {
        // group gone
      }
    }
    if (supervisorAlive && supervisor !== null && isSameProcessAlive(supervisor)) {
      try {
        process.kill(supervisor.pid, signal)
      } catch {
        // gone
      }
    }
  }
  const anyLeft = (): boolean => (pgid !== null && groupMembers(pgid).length > 0) || (supervisor !== null && supervisorAlive && isSameProcessAlive(supervisor))
  send('SIGTERM')
  const until = Date.now() + ABANDONED_GRACE_MS
  while (anyLeft() && Date.now() < until) await sleep(100)
  if (anyLeft()) send('SIGKILL')
  const killedBy = Date.now() + 3000
  while (anyLeft() && Date.now() < killedBy) await sleep(50)
  return [...pids].sort((a, b) => a - b)
}

/**
 * Finds run folders without a result whose harness is gone, ends their processes, writes `abandoned.json` into each
 * and returns them (each is returned once: marked folders are not found again).
 */
export async function collectAbandonedRuns(runsDir: string, now: () => number = Date.now): Promise<AbandonedRun[]> {
  const found: AbandonedRun[] = []
  for (const runDir of await listRunFolders(runsDir)) {
    if ((await runFolderState(runDir)) !== 'stale') continue
    const command = await readCommand(runDir)
    const status = await readSupervisorStatus(runDir)
    const endedPids = await endLeftovers(command?.record, status)
    const entry = AbandonedRunSchema.parse({
      runDir,
      startedAtMs: status?.pipeline?.spawnedAtMs ?? command?.mtimeMs ?? null,
      harnessPid: command?.record.harness?.pid ?? null,
      endedPids,
      note: describe(status),
      foundAtMs: now(),
    })
    try {
      await writeJsonAtomic(path.join(runDir, ABANDONED_FILE), entry)
    } catch {
      // Read-only or full: it will be reported again next time, which is better than not at all.
    }
    found.push(entry)
  }
  return found
}

/** One block for the console: said once per harness run. */
export function formatAbandonedRuns(runs: readonly AbandonedRun[]): string {
  const lines = [`⚠ virnucpro: ${runs.length} run(s) of an earlier harness that ended without finishing them (marked ${ABANDONED_FILE}):`]
  for (const r of runs) {
    lines.push(`  - ${r.runDir}: ${r.note}${r.endedPids.length ? `; ended processes still alive: ${r.endedPids.join(', ')}` : ''}`)
  }
  return lines.join('\n')
}
