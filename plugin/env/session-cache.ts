/**
 * What every case of one Vitest session would otherwise find again (the Python that imports torch, the machine's
 * environment, the GPU ceiling): found once, kept in `<dir>/<sessionId>/<name>.json`, read by later cases in
 * other worker processes. Scoped to the session, so nothing found is trusted beyond the run that found it.
 *
 * One finder at a time: whoever starts finding holds `<name>.json.pending` (its pid and start time inside), and the others wait for
 * the result instead of finding it a second time. That is what lets the Vitest main process start the search while
 * Vitest is still collecting (prefetch), and the first case wait for the rest only. A finder that failed removes its
 * marker (the waiters then find it themselves and report the error); a marker whose process is gone is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { z } from 'zod'
import { pathExists, writeJsonAtomic } from '../io/files.ts'
import { identify, isSameProcessAlive, type ProcessIdentity } from '../pipeline/process-identity.ts'

/** How long a waiter polls for another finder's result before finding it itself (the Python probe's own limit). */
const WAIT_LIMIT_MS = 120_000
const POLL_MS = 25

function cacheFile(dir: string, sessionId: string, name: string): string {
  return join(dir, sessionId.replace(/[^A-Za-z0-9._-]+/g, '_'), `${name}.json`)
}

async function readCached<T extends z.ZodType>(file: string, schema: T): Promise<z.output<T> | undefined> {
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(file, 'utf8')))
    if (parsed.success) return parsed.data
  } catch {
    // Missing or unreadable: not there.
  }
  return undefined
}

/** Who holds a marker (pid and start time, so a reused pid is not taken for it); null while it is being written. */
async function markerOwner(marker: string): Promise<ProcessIdentity | null> {
  try {
    const owner = JSON.parse(await readFile(marker, 'utf8')) as ProcessIdentity
    return Number.isInteger(owner.pid) ? owner : null
  } catch {
    return null
  }
}

/** Takes the finder's marker; false when another live process holds it. */
async function claim(marker: string): Promise<boolean> {
  await mkdir(join(marker, '..'), { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(marker, 'wx')
      await handle.writeFile(JSON.stringify(identify(process.pid)))
      await handle.close()
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = await markerOwner(marker)
      // An unreadable marker is one being written this instant: its owner is alive.
      if (owner === null || owner.pid === process.pid || isSameProcessAlive(owner)) return false
      await rm(marker, { force: true })
    }
  }
  return false
}

export async function sessionCached<T extends z.ZodType>(dir: string, sessionId: string, name: string, schema: T, find: () => Promise<z.output<T>>): Promise<{ value: z.output<T>; cached: boolean }> {
  const file = cacheFile(dir, sessionId, name)
  const marker = `${file}.pending`
  const deadline = Date.now() + WAIT_LIMIT_MS
  for (;;) {
    const known = await readCached(file, schema)
    if (known !== undefined) return { value: known, cached: true }
    if (await claim(marker)) break
    // Another process is finding it: wait for its result (or its failure, which removes the marker).
    while ((await pathExists(marker)) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, POLL_MS))
      const value = await readCached(file, schema)
      if (value !== undefined) return { value, cached: true }
    }
    if (Date.now() >= deadline) break
  }
  try {
    const value = await find()
    await writeJsonAtomic(file, value)
    return { value, cached: false }
  } finally {
    // Only our own marker: after a timed-out wait the marker may be another process's.
    if ((await markerOwner(marker))?.pid === process.pid) await rm(marker, { force: true })
  }
}
