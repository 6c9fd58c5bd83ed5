/**
 * A full disk while reports are written: a clear error naming the file and ENOSPC, and the finished cases kept.
 * Needs a small tmpfs (mounted by the test as root); where `mount` is not permitted the test is skipped with the
 * reason, and full-disk-simulated.test.ts covers the same path with a simulated ENOSPC.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from './case-store.ts'
import { writeInterruptedReportSync } from './interrupted-report.ts'
import { regenerateReports } from './regenerate.ts'
import { buildCase } from '../test-support/builders.ts'
import { HarnessReporter } from '../vitest/harness-reporter.ts'

const base = mkdtempSync(path.join(tmpdir(), 'full-disk-'))
const mountPoint = path.join(base, 'mnt')
let mountError: string | null = null

beforeAll(() => {
  mkdirSync(mountPoint)
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mountPoint], { stdio: 'pipe', timeout: 10_000 })
  } catch (error) {
    mountError = `cannot mount a tmpfs here (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`
  }
})
afterAll(() => {
  if (mountError === null) execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe', timeout: 10_000 })
  rmSync(base, { recursive: true, force: true })
})

/** Fills the filesystem to the last byte. */
function fill(dir: string): void {
  const fd = openSync(path.join(dir, 'filler'), 'w')
  const block = Buffer.alloc(16 * 1024)
  try {
    for (;;) writeSync(fd, block)
  } catch {
    // ENOSPC: full; now single bytes, so nothing is left at all
    try {
      for (;;) writeSync(fd, Buffer.alloc(1))
    } catch {
      // full
    }
  } finally {
    closeSync(fd)
  }
}

describe('a full disk while writing reports', () => {
  it('fails with a clear ENOSPC error naming the file, and keeps every finished case', async (context) => {
    if (mountError !== null) return context.skip(mountError)
    const reportsDir = path.join(mountPoint, 'reports')
    const store = CaseStore.forSession(reportsDir, 'session-1')
    const finished = [buildCase({ id: 'case-a' }), buildCase({ id: 'case-b' })]
    for (const c of finished) await store.write(c)
    fill(mountPoint)

    const options = { store, reportsDir, stamp: '20261201-100000', suite: 'bench', createdAt: '2026-12-01T10:00:00.000Z', complete: true, strict: false, config: {} }
    await expect(regenerateReports(options)).rejects.toThrow(/^could not write .*\/reports\/.*: ENOSPC: no space left on device/)
    const kept = await store.readAll()
    expect(kept.cases.map((c) => c.id).sort()).toEqual(['case-a', 'case-b'])
    expect(kept.corrupt).toEqual([])

    // The reporter says so in one line instead of crashing the run.
    const lines: string[] = []
    const reporter = new HarnessReporter({ reportsDir, sessionId: 'session-1', suite: 'bench', config: {}, strict: false, log: (l) => lines.push(l) })
    await reporter.onTestRunEnd([], [], 'passed')
    expect(lines.join('\n')).toMatch(/❌ virnucpro report could not be written: could not write .*: ENOSPC: no space left on device/)

    // So does the synchronous writer used at the first signal.
    const interruption = { signal: 'SIGTERM', atMs: Date.now(), reason: 'test', running: [], finished: [] }
    expect(() => writeInterruptedReportSync({ storeDir: store.dir, reportsDir, stamp: '20261201-100000', suite: 'bench', createdAt: '2026-12-01T10:00:00.000Z', strict: false, config: {}, interruption })).toThrow(/ENOSPC/)
    expect((await store.readAll()).cases).toHaveLength(2)
  })
})
