/** The pipeline leads its own process group; stopping it means the whole group, workers included. */
import { setTimeout as sleep } from 'node:timers/promises'

/** True while any process of the group exists (signal 0 probes without sending). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    // ESRCH: no process left in the group.
    return false
  }
}

/** Sends `signal` to every process of the group; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // ESRCH: already gone.
  }
}

async function waitGone(pgid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (!groupAlive(pgid)) return true
    await sleep(Math.min(100, Math.max(1, until - Date.now())))
  }
  return !groupAlive(pgid)
}

/**
 * SIGTERM to the group, up to `graceMs` for it to finish (the real tool checkpoints for about 30 s), then SIGKILL.
 * Resolves once no process of the group is left; returns whether SIGKILL was needed.
 */
export async function stopProcessGroup(pgid: number, graceMs: number): Promise<{ killed: boolean }> {
  if (!groupAlive(pgid)) return { killed: false }
  signalGroup(pgid, 'SIGTERM')
  if (await waitGone(pgid, graceMs)) return { killed: false }
  signalGroup(pgid, 'SIGKILL')
  await waitGone(pgid, 5000)
  return { killed: true }
}
