/**
 * The runs folder's housekeeping for one harness run: at start, run folders abandoned by a killed harness are found,
 * their processes ended and listed once; retention keeps the folder within its bounds at start and after every
 * finished test (runs in progress are never touched).
 */
import { readdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Reporter } from 'vitest/node'
import type { HarnessConfig } from '../config/harness-options.ts'
import type { AbandonedRun } from '../model/abandoned-run.ts'
import { applyRetention } from '../pipeline/retention.ts'
import { collectAbandonedRuns, formatAbandonedRuns } from '../pipeline/stale-runs.ts'

/**
 * Keeps the newest `keep` case-store sessions (their names start with the session's ISO time stamp). The running
 * session is created later, by the first finished case, so it is never among those removed.
 */
export async function pruneCaseSessions(reportsDir: string, keep: number): Promise<string[]> {
  const dir = join(reportsDir, '.cases')
  let names: string[]
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()
  } catch {
    return []
  }
  const old = names.slice(0, Math.max(0, names.length - keep))
  for (const name of old) await rm(join(dir, name), { recursive: true, force: true })
  return old
}

export interface RunsHousekeeping {
  abandoned: AbandonedRun[]
  /** Applies retention after each finished test and at the end. */
  reporter: Reporter
}

export async function startRunsHousekeeping(config: HarnessConfig, log: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): Promise<RunsHousekeeping> {
  const runsDir = resolve(config.runsDir)
  const policy = { keepRuns: config.retention.keepRuns, keepFailedRuns: config.retention.keepFailedRuns, maxBytes: config.retention.maxMiB * 2 ** 20 }
  const abandoned = await collectAbandonedRuns(runsDir)
  if (abandoned.length > 0) log(formatAbandonedRuns(abandoned))
  let queue: Promise<unknown> = Promise.resolve()
  let warned = false
  const retain = (): Promise<unknown> => {
    queue = queue.then(async () => {
      try {
        const plan = await applyRetention(runsDir, policy)
        if (plan.overBound !== null && !warned) {
          warned = true
          log(`⚠ virnucpro: ${runsDir}: ${plan.overBound}`)
        }
      } catch (error) {
        // Housekeeping must never fail a benchmark; say it once.
        if (!warned) log(`⚠ virnucpro: retention of ${runsDir} failed: ${error instanceof Error ? error.message : String(error)}`)
        warned = true
      }
    })
    return queue
  }
  await retain()
  await pruneCaseSessions(resolve(config.reportsDir), config.retention.keepSessions).catch(() => undefined)
  return {
    abandoned,
    reporter: {
      onTestCaseResult: () => retain().then(() => undefined),
      onTestRunEnd: () => retain().then(() => undefined),
    },
  }
}
